"""Rule complex_risk_trend: each risk index's period mean against the period before (did it keep rising?)."""

from resilience.context.risk.trend import period_trend
from resilience.io import read_csv, setup_logging, write_csv

log = setup_logging(snakemake.log[0])
trend = period_trend(
    read_csv(snakemake.input.periods),
    read_csv(snakemake.input.annual),
    name=snakemake.input.periods,
    annual_name=snakemake.input.annual,
)
write_csv(trend, snakemake.output.trend)
log.info("risk trend: %d index-periods", len(trend))
