"""Rule eu_figures: resistance by pre-shock cluster strength and digitalization terciles, and coverage."""
from resilience.figures.common import save_figure
from resilience.figures.regions import coverage_figure, resistance_by_tercile
from resilience.io import read_csv, setup_logging
from resilience.regions.eu_measures import resistance_frame

setup_logging(snakemake.log[0])
inp, out, fig = snakemake.input, snakemake.output, snakemake.params.figures
frame = resistance_frame(read_csv(inp.martin), read_csv(inp.exposures), fig["outcome"], snakemake.params.episode)
title = f"{fig['outcome'].replace('_', ' ')}, {snakemake.params.episode}: resistance vs own country"
for key, kind in (("cluster", "cluster_exposure"), ("digital", "digital_exposure")):
    save_figure(resistance_by_tercile(frame, fig[kind], "index_pp", title=title, outcome_label="Resistance (pp vs country)",
                                      missing_note="(no data for this exposure in the available files)"),
                out[f"{key}_png"], out[f"{key}_pdf"])
save_figure(coverage_figure(read_csv(inp.coverage), title="EU regional panel: coverage"), out.coverage_png, out.coverage_pdf)
