"""Rule figure_peer_paths: manufacturing output index of the focus economy and its peers."""
import pandas as pd

from resilience.panels.countries.measures import levels
from resilience.figures.common import save_figure
from resilience.figures.peers import peer_paths
from resilience.io import setup_logging

setup_logging(snakemake.log[0])
p = snakemake.params
fig = peer_paths(levels(pd.read_parquet(snakemake.input.panel), p.outcome), focus=p.focus, peers=p.peers,
                 base_year=p.base_year, ylabel="Manufacturing value added")
save_figure(fig, snakemake.output.png, snakemake.output.pdf)
