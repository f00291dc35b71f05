"""Rule country_panel: tidy tables -> country-year panel, provenance, coverage, unmatched names."""
from pathlib import Path

import pandas as pd

from resilience.io import read_csv, setup_logging, write_csv, write_parquet
from resilience.panels.countries.build import build_panel, combine_unmatched, coverage
from resilience.sources.raw import read_manifest

log = setup_logging(snakemake.log[0])
tidy = {Path(p).stem: pd.read_parquet(p) for p in snakemake.input.tidy}
manifests = {Path(p).name: read_manifest(p) for p in snakemake.input.raw}
panel, provenance = build_panel(tidy, manifests, snakemake.params.series, snakemake.params.years)
unmatched = combine_unmatched(read_csv(p) for p in snakemake.input.unmatched)

write_parquet(panel, snakemake.output.panel)
write_csv(provenance, snakemake.output.provenance)
write_csv(unmatched, snakemake.output.unmatched)
write_csv(coverage(panel, provenance), snakemake.output.coverage)
log.info("panel %d rows, %d economies", len(panel), panel["iso3"].nunique())
