"""Rule panel_spec_curve: the specification curve of one panel's headline model."""

import pandas as pd

from resilience.io import setup_logging, write_csv
from resilience.panels import get
from resilience.robustness.specification_curve import curve_tables

log = setup_logging(snakemake.log[0])
params, inputs, out = snakemake.params, snakemake.input, snakemake.output
metadata = pd.read_parquet(inputs.metadata) if "metadata" in inputs.keys() else None
tables = curve_tables(
    get(snakemake.wildcards.panel),
    pd.read_parquet(inputs.growth),
    pd.read_parquet(inputs.panel),
    params.settings,
    params.episodes,
    params.block,
    metadata,
    models=pd.read_csv(inputs.models),
    headline_models=dict(params.headline_models),
)
for name, path in (("curve", out.curve), ("summary", out.summary), ("collinearity", out.collinearity)):
    write_csv(tables[name], path)
log.info(
    "specification curve: %d rows, %d not estimable", len(tables["curve"]), tables["curve"]["estimate"].isna().sum()
)
