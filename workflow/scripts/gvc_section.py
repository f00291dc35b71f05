"""Rule gvc_section: the report section on value-chain position, from the results tables only."""
from resilience.context.gvc.analysis import section
from resilience.io import read_csv, setup_logging, write_text

log = setup_logging(snakemake.log[0])
inp = snakemake.input
text = section(read_csv(inp.table), read_csv(inp.status), snakemake.params.gvc,
               table_path="results/tables/gvc_participation.csv", status_path="results/tables/gvc_status.csv",
               figure="figures/gvc_participation.png")
write_text(text, snakemake.output.section)
log.info("gvc section: %d lines", text.count("\n"))
