"""Rule trade_diversion_section: the report's Markdown section, read from the trade results tables."""
from resilience.context.trade.analysis import section_markdown
from resilience.io import read_csv, setup_logging, write_text

log = setup_logging(snakemake.log[0])
inp = snakemake.input
text = section_markdown(read_csv(inp.annual), read_csv(inp.quarterly), read_csv(inp.china_share),
                        read_csv(inp.mirror), read_csv(inp.sources), snakemake.params.trade,
                        revisions=read_csv(inp.revisions), largest=read_csv(inp.largest),
                        coverage=read_csv(inp.coverage))
write_text(text, snakemake.output.section)
log.info("trade diversion section: %d lines", text.count("\n"))
