"""Rule growth: annual log growth of the configured level series (NaN across series breaks)."""
import pandas as pd

from resilience.country_measures import growth_table
from resilience.io import setup_logging, write_csv, write_parquet

log = setup_logging(snakemake.log[0])
growth, breaks = growth_table(pd.read_parquet(snakemake.input.panel), snakemake.params.growth_series,
                              snakemake.params.break_footnotes)
write_parquet(growth, snakemake.output.growth)
write_csv(breaks, snakemake.output.breaks)
log.info("growth rows %d; series breaks set to NaN: %d", len(growth), len(breaks))
