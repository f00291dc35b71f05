"""Rule digital_divide_section: the report's Markdown section, read from the divide's results tables."""
from resilience.context.divide.analysis import section_markdown
from resilience.io import read_csv, setup_logging, write_text

log = setup_logging(snakemake.log[0])
inp = snakemake.input
text = section_markdown(read_csv(inp.latest), read_csv(inp.trend), snakemake.params.divide["world"],
                        years=snakemake.params.years, tables=(inp.latest, inp.trend))
write_text(text, snakemake.output.section)
log.info("digital divide section: %d lines", text.count("\n"))
