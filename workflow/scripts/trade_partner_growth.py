"""Rule trade_partner_growth: growth of US imports by partner since the base year, beside China's."""

from resilience.context.trade.checks import WORLD
from resilience.context.trade.growth import partner_growth
from resilience.io import read_csv, setup_logging, write_csv

log = setup_logging(snakemake.log[0])
trade = snakemake.params.trade
growth = partner_growth(
    read_csv(snakemake.input.annual),
    snakemake.params.base_year,
    trade["china"],
    WORLD,
    end_year=snakemake.params.end_year,
    name=snakemake.input.annual,
)
write_csv(growth, snakemake.output.growth)
log.info("import growth %s-%s: %d partner rows", snakemake.params.base_year, snakemake.params.end_year, len(growth))
