"""Rule eu_models: regional panel models (region + country x year effects, wild bootstrap by country) and cross-sections."""
import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv, write_json
from resilience.regions.eu_models import EU_COEF_COLUMNS, cross_sections, fit_panel_model, growth_panel

log = setup_logging(snakemake.log[0])
settings, episodes, out = snakemake.params.settings, snakemake.params.episodes, snakemake.output
exposures, martin = read_csv(snakemake.input.exposures), read_csv(snakemake.input.martin)
growth = growth_panel(pd.read_parquet(snakemake.input.panel), settings["growth"])
fits = [fit_panel_model(growth, exposures, episodes, model, settings["bootstrap"]) for model in settings["models"]]
tables = [t for t, _ in fits if len(t)]
write_csv(pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=EU_COEF_COLUMNS), out.models)
cross, cross_notes = cross_sections(martin, exposures, settings["cross_section"])
write_csv(cross, out.cross_section)
write_json({"panel_models": [n for _, n in fits], "cross_sections": cross_notes}, out.notes)
log.info("EU models: %d estimable of %d", sum(n["estimable"] for _, n in fits), len(fits))
