"""Rule replication_readme: results/REPLICATION.md from the catalog, the raw manifests, the mirror's
SOURCES.csv files, the pinned stack, the committed benchmark and the workflow's rule outputs."""
import json
import tempfile
import tomllib
from pathlib import Path

from resilience.catalog import read_catalog
from resilience.io import read_csv, setup_logging, write_text
from resilience.report.fonts import cjk_font_dir
from resilience.report.pdf import compile_pdf, markdown_to_typst
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
    lineage=read_csv(inp.lineage), report_exhibits=read_csv(inp.report_exhibits), seeds=p.seeds,
    licence_text=Path(inp.licence).read_text(encoding="utf-8"),
    raw_bytes=sum(f.stat().st_size for d in inp.raw for f in Path(d).rglob("*") if f.is_file()),
    results_bytes=sum(Path(f).stat().st_size for f in inp.described),
)
write_text(text, snakemake.output.md)
with tempfile.TemporaryDirectory() as scratch:
    source = Path(scratch) / "REPLICATION.typ"
    source.write_text(markdown_to_typst(text, "Replication package"), encoding="utf-8")
    compile_pdf(source, Path(snakemake.output.pdf), root=Path(scratch), font_dir=cjk_font_dir())
log.info("REPLICATION.md: %d lines, %d exhibit outputs", text.count("\n"), len(p.outputs))
