"""Rule nuts_correspondence: the NUTS workbooks -> one table of code pairs and changes between versions."""
import pandas as pd

from resilience.sources.raw import raw_file
from resilience.errors import InputError
from resilience.io import setup_logging, write_parquet
from resilience.sources.parsers.eurostat import read_nuts_workbook

log = setup_logging(snakemake.log[0])
parts = []
for raw_dir in snakemake.input.workbooks:
    path, manifest = raw_file(raw_dir)
    if path is None:
        raise InputError(raw_dir, f"NUTS workbook unavailable: {manifest['message']}")
    parts.append(read_nuts_workbook(path))
    log.info("%s: %d code pairs", path.name, len(parts[-1]))
write_parquet(pd.concat(parts, ignore_index=True), snakemake.output[0])
