"""Rule digital_divide_itu: people offline by ITU's Key ICT indicator aggregates (empty when unavailable)."""

import pandas as pd

from resilience.context.divide.itu import OFFLINE_COLUMNS, itu_offline
from resilience.io import setup_logging, write_csv
from resilience.sources.parsers.itu_aggregates import read_itu_aggregates
from resilience.sources.raw import raw_file

log = setup_logging(snakemake.log[0])
itu = snakemake.params.itu
path, manifest = raw_file(snakemake.input.raw)
if path is None:
    log.info("%s unavailable (%s): no ITU aggregates", itu["dataset"], manifest.get("message", ""))
    offline = pd.DataFrame(columns=OFFLINE_COLUMNS)
else:
    aggregates = read_itu_aggregates(path, itu["sheet"], itu["indicator"])
    offline = itu_offline(aggregates, manifest.get("vintage_hint") or manifest["file"], name=str(path))
write_csv(offline, snakemake.output.offline)
log.info("ITU aggregates: %d group-years", len(offline))
