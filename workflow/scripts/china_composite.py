"""Rule china_composite: the GDP index dating check and the entropy-weight composite indices."""
import pandas as pd

from resilience.io import setup_logging, write_csv, write_parquet
from resilience.panels.china.build import composite

log = setup_logging(snakemake.log[0])
out = snakemake.output
alignment, frame, weights = composite(pd.read_parquet(snakemake.input.panel), pd.read_parquet(snakemake.input.growth),
                                      snakemake.params.china)
write_csv(alignment, out.alignment)
write_parquet(frame, out.composite)
write_csv(weights, out.weights)
log.info("%d composite province-years", len(frame))
