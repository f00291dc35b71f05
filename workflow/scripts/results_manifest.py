"""Rule results_manifest: results/MANIFEST.sha256, one `<sha256>  <path>` line per results file."""
from pathlib import Path

from resilience.io import setup_logging, write_text
from resilience.provenance.manifest import manifest_lines

log = setup_logging(snakemake.log[0])
lines = manifest_lines(list(snakemake.input), root=Path.cwd())
write_text("".join(f"{line}\n" for line in lines), snakemake.output[0])
log.info("manifest: %d results files", len(lines))
