"""Rule china_panel: NBS exports, PKU index and compiled panels -> the province-year panel and its provenance."""
from resilience.io import setup_logging, write_csv, write_parquet
from resilience.panels.china.build import build_panel

log = setup_logging(snakemake.log[0])
raw_dirs = dict(zip(snakemake.params.datasets, snakemake.input.raw))
panel, provenance, coverage, footnotes = build_panel(raw_dirs, snakemake.params.china)
write_parquet(panel, snakemake.output.panel)
write_csv(provenance, snakemake.output.provenance)
write_csv(coverage, snakemake.output.coverage)
write_csv(footnotes, snakemake.output.footnotes)
log.info("%d panel rows, %d series used", len(panel), int((provenance["status"] == "used").sum()))
