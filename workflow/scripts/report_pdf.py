"""Rule report_pdf: the report's Markdown as Typst, compiled to PDF with the CJK font from PyPI."""

from pathlib import Path

from resilience.io import setup_logging, write_text
from resilience.report.build import REPORT_TITLE
from resilience.report.fonts import cjk_font_dir
from resilience.report.pdf import compile_pdf, markdown_to_typst

log = setup_logging(snakemake.log[0])
out = snakemake.output
source = markdown_to_typst(Path(snakemake.input.md).read_text(encoding="utf-8"), REPORT_TITLE)
write_text(source, out.typ)
# images are resolved against the results directory, where report.md's relative paths point
compile_pdf(Path(out.typ), Path(out.pdf), root=Path(out.typ).parent, font_dir=cjk_font_dir())
log.info("report.pdf: %d bytes from %d lines of Typst", Path(out.pdf).stat().st_size, source.count("\n"))
