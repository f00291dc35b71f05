"""Rule claims_ledger: every claim of the ledger beside its regeneration, and the report section."""

from pathlib import Path

from resilience.claims.ledger import load_ledger
from resilience.claims.section import ledger_table, section_markdown, verdict_counts
from resilience.io import read_csv, setup_logging, write_csv, write_text

log = setup_logging(snakemake.log[0])
ledger = load_ledger(snakemake.input.ledger, snakemake.input.schema)
tables = {Path(path).name: read_csv(path) for path in snakemake.input.tables}
table = ledger_table(ledger, tables, snakemake.params.missing_cells)
write_csv(table, snakemake.output.table)
write_text(section_markdown(table, ledger["papers"], snakemake.params.ledger_path), snakemake.output.section)
log.info("claims ledger: %s", verdict_counts(table).to_dict("records"))
