"""Rule model: estimate one of the country panel's cross-section or pooled-composite models; write its
coefficient table (CSV, Markdown, LaTeX) and notes (models of kind panel: rule panel_models)."""
import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv, write_json, write_text
from resilience.models.tables import to_latex, to_markdown
from resilience.panels.countries.models import own_model

log = setup_logging(snakemake.log[0])
spec, inp = snakemake.params.spec, snakemake.input
if spec["kind"] == "cross_section":
    coefs, notes = own_model(spec, snakemake.params.episodes, martin=read_csv(inp.martin), loss=read_csv(inp.loss),
                             exposures=read_csv(inp.exposures))
else:
    coefs, notes = own_model(spec, snakemake.params.episodes, composite=pd.read_parquet(inp.composite))
write_csv(coefs, snakemake.output.csv)
write_text(to_markdown(coefs), snakemake.output.md)
write_text(to_latex(coefs), snakemake.output.tex)
write_json(notes, snakemake.output.notes)
log.info("%s: %d coefficients", spec["name"], len(coefs))
