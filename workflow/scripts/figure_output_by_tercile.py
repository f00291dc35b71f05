"""Rule figure_output_by_tercile: output index around a shock by pre-shock digitalization tercile."""
import pandas as pd

from resilience.panels.countries.measures import exposure_terciles, levels
from resilience.figures.common import save_figure
from resilience.figures.shock_paths import output_index_by_tercile
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
p = snakemake.params
terciles = exposure_terciles(read_csv(snakemake.input.exposures), p.episode["name"], p.variable)
fig = output_index_by_tercile(levels(pd.read_parquet(snakemake.input.panel), p.outcome), terciles, p.episode,
                              tuple(p.window), tercile_label=f"Pre-shock {p.variable} tercile")
save_figure(fig, snakemake.output.png, snakemake.output.pdf)
