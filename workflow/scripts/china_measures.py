"""Rule china_measures: real GDP growth, Martin indices, pre-shock exposures, entropy composites."""
import pandas as pd

from resilience.io import setup_logging, write_csv, write_parquet
from resilience.regions.china_steps import measures

log = setup_logging(snakemake.log[0])
out = snakemake.output
growth, martin, exposures, alignment, composite, weights = measures(pd.read_parquet(snakemake.input.panel),
                                                                    snakemake.params.china)
write_parquet(growth, out.growth)
write_csv(martin, out.martin)
write_csv(exposures, out.exposures)
write_csv(alignment, out.alignment)
write_parquet(composite, out.composite)
write_csv(weights, out.weights)
log.info("%d province-years of growth, %d Martin rows", len(growth), len(martin))
