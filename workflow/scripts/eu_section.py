"""Rule eu_section: the report section of the EU regional panel, from its results files only."""
import json
from pathlib import Path

from resilience.io import read_csv, setup_logging, write_text
from resilience.regions.eu_report import eu_section

setup_logging(snakemake.log[0])
inp = snakemake.input
results = {name: read_csv(getattr(inp, name)) for name in ("provenance", "nuts_summary", "coverage", "martin_summary",
                                                            "exposure_summary", "digital_notes", "models", "cross_section",
                                                            "map_status")}
results["model_notes"] = json.loads(Path(inp.notes).read_text(encoding="utf-8"))["panel_models"]
write_text(eu_section(results, snakemake.params.settings), snakemake.output[0])
