"""Rule manufacturing_world_share: one economy's share of world manufacturing value added and its lead."""

import pandas as pd

from resilience.context.manufacturing.share import world_share
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
spec = snakemake.params.share
share = world_share(pd.read_parquet(snakemake.input.panel), spec["column"], spec["economy"], name=snakemake.input.panel)
write_csv(share, snakemake.output.share)
log.info("%s share of world %s: %d years", spec["economy"], spec["column"], len(share))
