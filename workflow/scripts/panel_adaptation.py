"""Rule panel_adaptation: the adaptation measures of one panel and their models."""

import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv
from resilience.robustness.adaptation_stage import run

log = setup_logging(snakemake.log[0])
params, inputs = snakemake.params, snakemake.input
tables = run(
    snakemake.wildcards.panel,
    pd.read_parquet(inputs.growth),
    read_csv(inputs.exposures),
    pd.read_parquet(inputs.panel),
    params.settings,
    params.episodes,
)
write_csv(tables["adaptation"], snakemake.output.adaptation)
write_csv(tables["models"], snakemake.output.models)
log.info("adaptation: %d unit rows, %d model rows", len(tables["adaptation"]), len(tables["models"]))
