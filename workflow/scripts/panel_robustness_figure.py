"""Rule panel_robustness_figure: one robustness figure of one panel and episode."""
from resilience.figures.common import save_figure
from resilience.figures.robustness import robustness_figure
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
w, out = snakemake.wildcards, snakemake.output
tables = {name: read_csv(path) for name, path in snakemake.input.items()}
title = f"{snakemake.params.label}, {w.episode}: {w.kind.replace('_', ' ')}"
save_figure(robustness_figure(w.kind, tables, w.episode, title), out.png, out.pdf)
