"""Rule figure_complex_risk: the global risk and uncertainty series with the shock episodes marked."""
from resilience.context.risk.analysis import series_from_csv
from resilience.figures.common import save_figure
from resilience.figures.risk import complex_risk_figure
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
p = snakemake.params
series = series_from_csv(read_csv(snakemake.input.series))
fig = complex_risk_figure(series, p.global_series, p.episodes, p.events, p.start)
save_figure(fig, snakemake.output.png, snakemake.output.pdf)
