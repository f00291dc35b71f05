"""Rule output_loss: cumulative loss against the pre-shock trend, years below the pre-shock peak."""
import pandas as pd

from resilience.panels.countries.measures import loss_table
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
table = loss_table(pd.read_parquet(snakemake.input.panel), snakemake.params.outcome, snakemake.params.episodes,
                   snakemake.params.trend_years, snakemake.params.last_year,
                   snakemake.params.break_footnotes, snakemake.params.peak_window)
write_csv(table, snakemake.output[0])
log.info("%d unit-episode rows", len(table))
