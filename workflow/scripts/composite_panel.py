"""Rule composite_panel: pooled entropy-weight resilience and digitalization indices."""
import pandas as pd

from resilience.panels.countries.measures import composite_panel
from resilience.io import setup_logging, write_csv, write_parquet

log = setup_logging(snakemake.log[0])
frame, weights = composite_panel(pd.read_parquet(snakemake.input.panel), pd.read_parquet(snakemake.input.growth),
                                 snakemake.params.composite)
write_parquet(frame, snakemake.output.panel)
write_csv(weights, snakemake.output.weights)
log.info("%d economy-years, %d with both indices", len(frame),
         int(frame[["resilience_index", "digital_index"]].notna().all(axis=1).sum()))
