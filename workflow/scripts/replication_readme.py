"""Rule replication_readme: results/REPLICATION.md from the catalog, the raw manifests, the mirror's
SOURCES.csv files, the pinned stack, the committed benchmark and the workflow's rule outputs."""
import json
import tomllib
from pathlib import Path

from resilience.catalog import read_catalog
from resilience.io import setup_logging, write_text
from resilience.provenance.replication import replication_markdown
from resilience.sources.fetch import read_mirror_sources

log = setup_logging(snakemake.log[0])
inp, p = snakemake.input, snakemake.params
text = replication_markdown(
    catalog=read_catalog(inp.catalog),
    manifests={Path(d).name: json.loads((Path(d) / "manifest.json").read_text(encoding="utf-8")) for d in inp.raw},
    listings={Path(f).parent.name: read_mirror_sources(Path(f).parent) for f in inp.listings},
    provenance_notes=[Path(f).parent.name for f in inp.provenance],
    optional=p.optional, has_mirror=p.has_mirror, outputs=p.outputs, made=p.made,
    lock_text=Path(inp.lock).read_text(encoding="utf-8"),
    pyproject=tomllib.loads(Path(inp.pyproject).read_text(encoding="utf-8")),
    benchmark=json.loads(Path(inp.benchmark[0]).read_text(encoding="utf-8")) if inp.benchmark else None,
)
write_text(text, snakemake.output[0])
log.info("REPLICATION.md: %d lines, %d exhibit outputs", text.count("\n"), len(p.outputs))
