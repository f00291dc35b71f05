"""Rule report: Markdown and HTML report assembled from the results files only."""
import json
from pathlib import Path

import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv, write_text
from resilience.report.fonts import cjk_subset
from resilience.report.layout import list_exhibits
from resilience.report.build import REPORT_TITLE, build_report, exhibit_table, render_html

log = setup_logging(snakemake.log[0])
inp = snakemake.input
results = {name: read_csv(getattr(inp, name)) for name in
           ("provenance", "coverage", "unmatched", "martin", "loss", "exposures", "composite", "weights",
            "breaks", "game_regions", "game_equilibria", "lineage")}
results["models"] = {Path(p).stem.removeprefix("model_"): read_csv(p) for p in inp.models}
results["model_md"] = {Path(p).stem.removeprefix("model_"): Path(p).read_text(encoding="utf-8") for p in inp.model_md}
results["notes"] = {Path(p).stem: json.loads(Path(p).read_text(encoding="utf-8")) for p in inp.notes}
# the shock x exposure models (rule panel_models): one table and one notes file for all of them
panel_models = read_csv(inp.panel_models)
results["models"] |= {name: rows.reset_index(drop=True) for name, rows in panel_models.groupby("model", sort=True)}
results["notes"] |= json.loads(Path(inp.panel_notes).read_text(encoding="utf-8"))
results["figures"] = [Path(p).stem for p in inp.figures]
# by name, in the configured order: resilience.report.layout places each by its name
results["sections"] = {Path(p).stem: Path(p).read_text(encoding="utf-8") for p in inp.sections}
results["adjusted_p"] = read_csv(inp.adjusted_p)
results["catalog"] = pd.DataFrame.from_dict(snakemake.params.catalog, orient="index")
results["findings"] = Path(inp.findings).read_text(encoding="utf-8")
text = build_report(results, snakemake.params.config_slice)
write_text(text, snakemake.output.md)
# Chinese names are set in Noto Sans CJK SC, embedded as a subset of the characters the report uses
results_dir = Path(snakemake.output.md).parent
images = {Path(f).relative_to(results_dir).as_posix() for f in [*inp.figures, *inp.game_figures, *inp.section_figures]}
html = render_html(text, results_dir, REPORT_TITLE, font=cjk_subset(text), declared=images)
write_text(html, snakemake.output.html)
write_csv(exhibit_table(list_exhibits(text)), snakemake.output.exhibits)
log.info("report: %d lines", text.count("\n"))
