"""Rule exposures: pre-shock digitalization composites, cluster/structure measures and controls."""
import pandas as pd

from resilience.country_measures import exposures_table
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
table, composite = exposures_table(pd.read_parquet(snakemake.input.panel), snakemake.params.episodes,
                                   snakemake.params.digital, snakemake.params.max_back,
                                   snakemake.params.outcome)
write_csv(table, snakemake.output.exposures)
write_csv(composite, snakemake.output.composite)
log.info("%d exposure rows", len(table))
