"""Rule robustness_section: the report section "Is the answer robust?" from the robustness and adaptation tables."""

from resilience.io import read_csv, setup_logging, write_text
from resilience.robustness.section import robustness_section

setup_logging(snakemake.log[0])
panels, params = snakemake.params.panels, snakemake.params
paths, adaptation = iter(snakemake.input.tables), iter(snakemake.input.adaptation)
tables = {p: {t: read_csv(next(paths)) for t in params.tables} for p in panels}
for p in panels:
    tables[p].update({t: read_csv(next(adaptation)) for t in params.adaptation_tables})
curves = iter(snakemake.input.spec_curve_tables)
for p in params.spec_curve_panels:
    tables[p].update({t: read_csv(next(curves)) for t in params.spec_curve_tables})
write_text(robustness_section(tables, panels), snakemake.output[0])
