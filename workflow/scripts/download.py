"""Rule download: obtain one raw dataset (mirror or live) with its manifest."""
from resilience.io import setup_logging
from resilience.sources.raw import obtain

log = setup_logging(snakemake.log[0])
entry = obtain(snakemake.params.row, snakemake.output[0], mirror=snakemake.params.mirror,
               optional=snakemake.params.optional, download=snakemake.params.download)
log.info("%s: %s (%s) %s", entry["dataset"], entry["status"], entry["mode"], entry.get("message", ""))
