"""Rule robustness_section: the report section "Is the answer robust?" from the robustness tables."""
from resilience.io import read_csv, setup_logging, write_text
from resilience.robustness.section import robustness_section

setup_logging(snakemake.log[0])
panels = snakemake.params.panels
paths = iter(snakemake.input.tables)
tables = {p: {t: read_csv(next(paths)) for t in snakemake.params.tables} for p in panels}
curves = iter(snakemake.input.spec_curve_tables)
for p in snakemake.params.spec_curve_panels:
    tables[p].update({t: read_csv(next(curves)) for t in snakemake.params.spec_curve_tables})
write_text(robustness_section(tables, panels), snakemake.output[0])
