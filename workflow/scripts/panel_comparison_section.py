"""Rule panel_comparison_section: the report section comparing the panels, from its results table only."""
from resilience.io import read_csv, setup_logging, write_text
from resilience.report.panel_comparison import comparison_section

setup_logging(snakemake.log[0])
write_text(comparison_section(read_csv(snakemake.input.table)), snakemake.output[0])
