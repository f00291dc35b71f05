"""Provenance of the numbers: code fingerprints, the lineage table, make explain, the results
manifest behind make verify, the replication README and reading Snakemake's own output."""
