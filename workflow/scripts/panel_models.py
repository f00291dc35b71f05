"""Rule panel_models: shock x exposure panel models of one panel, with the wild cluster bootstrap."""
from resilience.io import setup_logging, write_csv, write_json, write_text
from resilience.panels.stages import models, models_latex, models_markdown

log = setup_logging(snakemake.log[0])
params, out = snakemake.params, snakemake.output
coefs, boot, notes = models(snakemake.wildcards.panel, dict(snakemake.input.items()), params.settings, params.episodes)
write_csv(coefs, out.models)
write_text(models_markdown(coefs), out.md)
write_text(models_latex(coefs), out.tex)
write_csv(boot, out.bootstrap)
write_json(notes, out.notes)
log.info("%d coefficients from %d models", len(coefs), coefs["model"].nunique() if len(coefs) else 0)
