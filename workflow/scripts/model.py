"""Rule model: estimate one of the country panel's cross-section or pooled-composite models; write its
coefficient table (CSV, Markdown, LaTeX) and notes (models of kind panel: rule panel_models)."""
import pandas as pd

from resilience import model_runs
from resilience.io import read_csv, setup_logging, write_csv, write_json, write_text
from resilience.models.tables import to_latex, to_markdown

log = setup_logging(snakemake.log[0])
spec, inp = snakemake.params.spec, snakemake.input
if spec["kind"] == "cross_section":
    coefs, notes = model_runs.run_cross_section(read_csv(inp.martin), read_csv(inp.loss), read_csv(inp.exposures),
                                                snakemake.params.episodes, spec)
else:
    coefs, notes = model_runs.run_plain(pd.read_parquet(inp.composite), spec)
write_csv(coefs, snakemake.output.csv)
write_text(to_markdown(coefs), snakemake.output.md)
write_text(to_latex(coefs), snakemake.output.tex)
write_json(notes, snakemake.output.notes)
log.info("%s: %d coefficients", spec["name"], len(coefs))
