"""Rule figure_coefficients: coefficient plot of the main model (its rows of the country panel's model table)."""
from resilience.figures.common import save_figure
from resilience.figures.coefplot import coefficient_plot
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
fig = coefficient_plot(read_csv(snakemake.input.coefs), model=snakemake.params.model, words=snakemake.params.words)
save_figure(fig, snakemake.output.png, snakemake.output.pdf)
