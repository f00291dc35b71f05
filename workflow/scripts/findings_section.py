"""Rule findings_section: the report's opening section "Findings" and results/findings_summary.md."""

from resilience.io import read_csv, setup_logging, write_text
from resilience.report.findings import findings_section, findings_summary

setup_logging(snakemake.log[0])
panels = snakemake.params.panels
paths = iter(snakemake.input.tables)
tables = {p: {t: read_csv(next(paths)) for t in snakemake.params.tables} for p in panels}
# the specification curve's summaries exist only when the workflow has the rule that makes them
for path in snakemake.input.spec_curve:
    summary = read_csv(path)
    for panel, rows in summary.groupby("panel"):
        if panel in tables:
            tables[panel]["spec_curve_summary"] = rows
write_text(findings_section(tables, panels), snakemake.output.section)
write_text(findings_summary(tables, panels), snakemake.output.summary)
