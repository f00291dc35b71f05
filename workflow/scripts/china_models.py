"""Rule china_models: two-way FE models of the province panel with wild cluster bootstrap p-values."""
import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv, write_json, write_text
from resilience.regions.china_steps import run_models
from resilience.report.text import markdown_table

log = setup_logging(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
coefs, boot, notes = run_models(pd.read_parquet(inp.growth), read_csv(inp.exposures), pd.read_parquet(inp.composite),
                                snakemake.params.china)
write_csv(coefs, out.coefs)
write_text(markdown_table(coefs) + "\n", out.md)
write_csv(boot, out.bootstrap)
write_json(notes, out.notes)
log.info("%d coefficients from %d models", len(coefs), coefs["model"].nunique() if len(coefs) else 0)
