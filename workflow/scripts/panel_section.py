"""Rule panel_section: the report section of one regional panel, from its results files only."""
from resilience.io import setup_logging, write_text
from resilience.panels.stages import section

setup_logging(snakemake.log[0])
write_text(section(snakemake.wildcards.panel, dict(snakemake.input.items()), snakemake.params.settings),
           snakemake.output[0])
