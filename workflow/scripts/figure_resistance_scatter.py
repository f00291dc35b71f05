"""Rule figure_resistance_scatter: resistance (pp) against a pre-shock exposure, one episode."""
from resilience.panels.countries.measures import resistance_vs_exposure
from resilience.figures.common import save_figure
from resilience.figures.scatter import resistance_scatter
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
p = snakemake.params
frame = resistance_vs_exposure(read_csv(snakemake.input.martin), read_csv(snakemake.input.exposures),
                               p.episode["name"], p.variable)
fig = resistance_scatter(frame, x=p.variable, y="resistance_pp", label_iso3=p.labels, title=p.episode["label"],
                         xlabel=f"Pre-shock {p.variable_label}", ylabel="Resistance (pp against the world total)")
save_figure(fig, snakemake.output.png, snakemake.output.pdf)
