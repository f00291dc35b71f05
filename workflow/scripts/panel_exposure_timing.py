"""Rule panel_exposure_timing: when each exposure was measured, and the exposure-timing placebo."""

import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv
from resilience.robustness.timing import run

log = setup_logging(snakemake.log[0])
params, inputs = snakemake.params, snakemake.input
table = run(
    snakemake.wildcards.panel,
    pd.read_parquet(inputs.growth),
    read_csv(inputs.exposures),
    pd.read_parquet(inputs.panel),
    params.settings,
    params.measures,
    params.episodes,
)
write_csv(table, snakemake.output[0])
log.info("exposure timing: %d rows", len(table))
