"""Rule eurostat_tidy: one Eurostat data file (either TSV layout, SDMX-CSV 1.0 or 2.0) -> long table with flags."""
from resilience.sources.raw import raw_file
from resilience.io import setup_logging, write_parquet
from resilience.panels.eu.build import empty_tidy
from resilience.sources.parsers.eurostat import parse_eurostat_file

log = setup_logging(snakemake.log[0])
path, manifest = raw_file(snakemake.input.raw)
if path is None:
    log.info("%s unavailable: %s", snakemake.wildcards.dataset, manifest["message"])
    table = empty_tidy()
else:
    parsed = parse_eurostat_file(manifest["format"], path)
    log.info("%s: %d cells, dimensions %s; %s", path.name, len(parsed.table), parsed.dimensions, "; ".join(parsed.notes))
    table = parsed.table
write_parquet(table, snakemake.output[0])
