"""Rule complex_risk_series: parse every available risk-index file into one tidy table; list the sources."""
from pathlib import Path

from resilience.sources.raw import raw_file
from resilience.context.risk.analysis import combine, sources_table
from resilience.io import setup_logging, write_csv, write_parquet
from resilience.sources.parsers.risk import parse_risk_file

log = setup_logging(snakemake.log[0])
tables, manifests = {}, {}
for raw in snakemake.input.raw:
    path, manifest = raw_file(raw)
    manifests[Path(raw).name] = manifest
    if path is not None:
        tables[Path(raw).name] = parse_risk_file(manifest["format"], path)
    log.info("%s: %s", Path(raw).name, f"{len(tables[Path(raw).name])} rows" if path else manifest["message"])
write_parquet(combine(tables), snakemake.output.tidy)
write_csv(sources_table(manifests, tables), snakemake.output.sources)
