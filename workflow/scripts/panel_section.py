"""Rule panel_section: the report section of one regional panel, from its results files only."""
from resilience.io import setup_logging, write_text
from resilience.panel_stages import section

setup_logging(snakemake.log[0])
write_text(section(snakemake.params.region, dict(snakemake.input.items()), snakemake.params.settings),
           snakemake.output[0])
