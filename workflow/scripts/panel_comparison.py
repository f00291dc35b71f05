"""Rule panel_comparison: the shared shock x exposure terms of every configured panel, as a table and a figure."""
import json
from pathlib import Path

from resilience.figures.common import save_figure
from resilience.figures.panel_comparison import panel_comparison_plot
from resilience.io import read_csv, setup_logging, write_csv
from resilience.panel_comparison import bootstrap_level, bootstrap_path, comparison_table, notes_reason

log = setup_logging(snakemake.log[0])
inp, panels = snakemake.input, snakemake.params.panels
coefs = {p["name"]: read_csv(getattr(inp, f"{p['name']}_coefs")) for p in panels}
notes = {p["name"]: notes_reason(p["source"], json.loads(Path(getattr(inp, f"{p['name']}_notes")).read_text(encoding="utf-8")),
                                 p["model"]) for p in panels}
boots = {p["name"]: read_csv(getattr(inp, f"{p['name']}_bootstrap")) for p in panels if bootstrap_path(p)}
levels = {p["name"]: bootstrap_level(p["source"], snakemake.params.bootstrap.get(p["source"])) for p in panels}
table = comparison_table(coefs, snakemake.params.comparison, panels, notes, boots, levels)
write_csv(table, snakemake.output.table)
save_figure(panel_comparison_plot(table), snakemake.output.png, snakemake.output.pdf)
log.info("panel comparison: %d rows, %d estimated", len(table), int((table["status"] == "estimated").sum()))
