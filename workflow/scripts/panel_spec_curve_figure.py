"""Rule panel_spec_curve_figure: the specification-curve plot of one panel and episode."""

from resilience.figures.common import save_figure
from resilience.figures.specification_curve import spec_curve_figure
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
w, out = snakemake.wildcards, snakemake.output
title = f"{snakemake.params.label}, {w.episode}: specification curve"
save_figure(spec_curve_figure(read_csv(snakemake.input.curve), w.episode, title), out.png, out.pdf)
