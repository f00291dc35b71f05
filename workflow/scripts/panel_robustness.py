"""Rule panel_robustness: the robustness tables of one panel's headline model."""
import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv
from resilience.robustness.stage import run

log = setup_logging(snakemake.log[0])
params, inputs = snakemake.params, snakemake.input
panel = pd.read_parquet(inputs.panel) if "panel" in inputs.keys() else None
tables = run(snakemake.wildcards.panel, pd.read_parquet(inputs.growth), read_csv(inputs.exposures), params.settings,
             params.episodes, panel)
for name, table in tables.items():
    write_csv(table, snakemake.output[name])
log.info("robustness tables: %s", {name: len(t) for name, t in tables.items()})
