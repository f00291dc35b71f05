"""Rule complex_risk_tables: the figure's global series, annual and period means, daily peaks, country panel."""
import pandas as pd

from resilience.context.risk import analysis as risk
from resilience.io import setup_logging, write_csv, write_parquet

log = setup_logging(snakemake.log[0])
p, out = snakemake.params, snakemake.output
tidy = pd.read_parquet(snakemake.input.tidy)
series = risk.global_series(tidy, p.global_series, p.start)
write_csv(risk.series_csv(series), out.series)
write_csv(risk.annual_means(series, p.global_series), out.annual)
write_csv(risk.period_means(series, p.global_series, p.periods, p.start), out.periods)
write_csv(risk.daily_peaks(tidy, p.daily, p.periods, p.start), out.peaks)
panel = risk.country_panel(tidy, p.country_indices)
write_parquet(panel, out.panel)
log.info("global series: %d rows; country panel: %d rows", len(series), len(panel))
