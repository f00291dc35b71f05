"""Rule lineage: results file -> rule -> raw datasets (sha256, URL) table, and the report's section on it."""
from pathlib import Path

from resilience.sources.raw import read_manifest
from resilience.io import setup_logging, write_csv, write_text
from resilience.provenance.lineage import lineage_section, lineage_table

log = setup_logging(snakemake.log[0])
# the other named input, "described", is the results files the rule waits for, not raw folders
manifests = {name: read_manifest(Path(folder)) for name, folder in snakemake.input.items() if name != "described"}
table = lineage_table(snakemake.params.graph, manifests)
write_csv(table, snakemake.output.table)
write_text(lineage_section(table, snakemake.output.table), snakemake.output.section)
log.info("lineage: %d results files, %d raw datasets", table["results_file"].nunique(), len(manifests))
