"""Rule panel_figure: one figure (resistance by exposure tercile, coverage) of one panel."""
from resilience.figures.common import save_figure
from resilience.io import setup_logging
from resilience.panels.stages import figure

setup_logging(snakemake.log[0])
w, out = snakemake.wildcards, snakemake.output
save_figure(figure(w.panel, w.figure, dict(snakemake.input.items()), snakemake.params.settings), out.png, out.pdf)
