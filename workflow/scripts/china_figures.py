"""Rule china_figures: resistance and recovery by exposure tercile; panel coverage."""
import pandas as pd

from resilience.figures.china import coverage_figure, resistance_terciles_figure
from resilience.figures.common import save_figure
from resilience.io import read_csv, setup_logging

setup_logging(snakemake.log[0])
inp, out = snakemake.input, snakemake.output
martin, provenance = read_csv(inp.martin), read_csv(inp.provenance)
outcome = "real_gdp" if (martin["outcome"] == "real_gdp").any() else "nominal_gdp"
benchmark = martin.loc[martin["outcome"] == outcome, "benchmark"].iloc[0] if len(martin) else "national benchmark"
save_figure(resistance_terciles_figure(martin, read_csv(inp.exposures), outcome, benchmark),
            out.terciles_png, out.terciles_pdf)
compiled = set(provenance.loc[(provenance["status"] == "used") & (provenance["kind"] == "compiled"), "series"])
save_figure(coverage_figure(pd.read_parquet(inp.panel), snakemake.params.years, compiled, pd.read_parquet(inp.growth)),
            out.coverage_png, out.coverage_pdf)
