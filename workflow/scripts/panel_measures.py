"""Rule panel_measures: growth, Martin indices, pre-shock exposures, digital composites and their summaries of one panel."""
import pandas as pd

from resilience.io import setup_logging, write_csv, write_parquet
from resilience.panels.stages import measures

log = setup_logging(snakemake.log[0])
params, out = snakemake.params, snakemake.output
tables = measures(snakemake.wildcards.panel, pd.read_parquet(snakemake.input.panel), params.settings, params.episodes)
write_parquet(tables.pop("growth"), out.growth)
for name, table in tables.items():
    write_csv(table, out[name])
log.info("Martin rows %d, exposure rows %d", len(tables["martin"]), len(tables["exposures"]))
