"""Rule eu_panel: tidy Eurostat tables -> the NUTS-2 region-year panel in one NUTS version, with provenance."""
from pathlib import Path

import pandas as pd

from resilience.io import setup_logging, write_csv, write_parquet
from resilience.panels.eu.build import build_panel, coverage, harmonization_summary
from resilience.sources.raw import read_manifest

log = setup_logging(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
tidies = {Path(p).stem: pd.read_parquet(p) for p in inp.tidy}
manifests = {Path(d).name: read_manifest(d) for d in inp.raw}
panel, provenance, report = build_panel(tidies, manifests, snakemake.params.settings, pd.read_parquet(inp.nuts))
write_parquet(panel, out.panel)
write_csv(provenance, out.provenance)
write_csv(report, out.harmonization)
write_csv(harmonization_summary(report), out.nuts_summary)
write_csv(coverage(panel), out.coverage)
log.info("EU panel: %d rows, %d regions", len(panel), panel.loc[panel["level"] == 2, "unit"].nunique())
