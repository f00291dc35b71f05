"""Rule complex_risk_model: manufacturing growth on the country's own risk index x pre-shock exposures."""
import pandas as pd

from resilience.context.risk.model import run_risk_models
from resilience.io import read_csv, setup_logging, write_csv, write_json, write_text
from resilience.models.tables import to_latex, to_markdown

log = setup_logging(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
coefs, notes = run_risk_models(pd.read_parquet(inp.growth), pd.read_parquet(inp.panel), read_csv(inp.exposures),
                               snakemake.params.model)
write_csv(coefs, out.csv)
write_text(to_markdown(coefs) if len(coefs) else "No variant could be estimated (see the notes).\n", out.md)
write_text(to_latex(coefs) if len(coefs) else "% No variant could be estimated (see the notes).\n", out.tex)
write_json(notes, out.notes)
log.info("%d coefficients; %s", len(coefs), {k: v["status"] for k, v in notes.items()})
