"""Rule figure_coefficients: coefficient plot of the main model."""
from resilience.figures.coefplot import coefficient_plot
from resilience.figures.common import save_figure
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
coefs = read_csv(snakemake.input.coefs)
fig = coefficient_plot(coefs, model=coefs["model"].iloc[0])
save_figure(fig, snakemake.output.png, snakemake.output.pdf)
