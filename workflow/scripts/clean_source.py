"""Rule clean_source: one raw file -> tidy table + the names that could not be matched."""
import pandas as pd

from resilience.clean import clean_dataset
from resilience.io import setup_logging, write_csv, write_parquet

log = setup_logging(snakemake.log[0])
meta = pd.read_parquet(snakemake.input.countries)
tidy, unmatched, manifest = clean_dataset(snakemake.input.raw, snakemake.params.row, meta,
                                          snakemake.params.years)
write_parquet(tidy, snakemake.output.tidy)
write_csv(unmatched, snakemake.output.unmatched)
log.info("%s: %s, %d rows, %d unmatched", manifest["dataset"], manifest["status"], len(tidy), len(unmatched))
