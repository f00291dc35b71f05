"""Rule findings_section: the report's opening section "Findings" from the models and robustness tables."""
from resilience.io import read_csv, setup_logging, write_text
from resilience.report.findings import findings_section

setup_logging(snakemake.log[0])
panels = snakemake.params.panels
paths = iter(snakemake.input.tables)
tables = {p: {t: read_csv(next(paths)) for t in snakemake.params.tables} for p in panels}
write_text(findings_section(tables, panels), snakemake.output[0])
