"""Rule trade_diversion: partner imports, ratios to China, China's share, mirror check (tables and figures)."""
from resilience.context.trade.analysis import build, labels, load_sources, read_hs_sections, trade_datasets
from resilience.figures.common import save_figure
from resilience.figures.trade import china_share_figure, partner_ratios_figure
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
cfg, out = snakemake.params.trade, snakemake.output
sources = load_sources(dict(zip(trade_datasets(cfg), snakemake.input.raw)))
results = build(sources, read_hs_sections(snakemake.input.sections), cfg)
for name in ("annual", "quarterly", "china_share", "mirror", "sources", "revisions", "largest", "coverage"):
    write_csv(getattr(results, name), out[name])
save_figure(partner_ratios_figure(results.quarterly, results.annual, cfg["china"], labels(cfg)),
            out.ratios_png, out.ratios_pdf)
save_figure(china_share_figure(results.annual, results.china_share, cfg["china"], cfg["base_year"]),
            out.share_png, out.share_pdf)
log.info("trade diversion: %d annual, %d quarterly rows; notes: %s", len(results.annual), len(results.quarterly),
         results.notes)
