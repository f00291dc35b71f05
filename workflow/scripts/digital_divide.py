"""Rule digital_divide: internet use and people offline by World Bank income group (tables and figure)."""
import pandas as pd

from resilience.context.divide.analysis import build
from resilience.figures.common import save_figure
from resilience.figures.divide import digital_divide_figure
from resilience.io import setup_logging, write_csv

log = setup_logging(snakemake.log[0])
cfg, out = snakemake.params.divide, snakemake.output
tables = build(pd.read_parquet(snakemake.input.internet), pd.read_parquet(snakemake.input.population), cfg)
for name in ("divide", "latest", "trend"):
    write_csv(tables[name], out[name])
save_figure(digital_divide_figure(tables["divide"], cfg["groups"], cfg["world"]), out.png, out.pdf)
log.info("digital divide: %d group-years; latest years %s", len(tables["divide"]),
         tables["latest"][["group", "latest_year"]].to_dict("records"))
