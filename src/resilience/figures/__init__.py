"""Figures: deterministic PNG/PDF output built on matplotlib Figure objects (no pyplot state)."""

from resilience.figures.coefplot import coefficient_plot, readable_term
from resilience.figures.common import figure_style, new_figure, save_figure
from resilience.figures.peers import base_index, peer_paths
from resilience.figures.scatter import ols_line, resistance_scatter
from resilience.figures.shock_paths import index_paths, output_index_by_tercile

__all__ = [
    "base_index", "coefficient_plot", "figure_style", "index_paths", "new_figure", "ols_line",
    "output_index_by_tercile", "peer_paths", "readable_term", "resistance_scatter",
    "save_figure",
]
