"""Rule series_breaks: the country-years where a growth series' definition changes (publisher footnotes)."""
import pandas as pd

from resilience.panels.countries.measures import series_breaks
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
breaks = series_breaks(pd.read_parquet(snakemake.input.panel), snakemake.params.growth_series,
                       snakemake.params.break_footnotes)
write_csv(breaks, snakemake.output[0])
log.info("series breaks (growth set to NaN by rule panel_measures): %d", len(breaks))
