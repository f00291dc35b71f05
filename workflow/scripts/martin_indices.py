"""Rule martin_indices: Martin (2012) resistance and recovery per episode."""
import pandas as pd

from resilience.country_measures import martin_table
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
table = martin_table(pd.read_parquet(snakemake.input.panel), snakemake.params.outcome,
                     snakemake.params.episodes, snakemake.params.benchmark,
                     snakemake.params.break_footnotes)
write_csv(table, snakemake.output[0])
log.info("%d unit-episode-phase rows", len(table))
