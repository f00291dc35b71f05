"""Rule country_metadata: World Bank country list (economy or aggregate, region, income group)."""
from resilience.clean import country_metadata
from resilience.io import setup_logging, write_parquet

log = setup_logging(snakemake.log[0])
meta = country_metadata(snakemake.input.raw)
write_parquet(meta, snakemake.output[0])
log.info("%d codes, %d economies", len(meta), int((meta["kind"] == "economy").sum()))
