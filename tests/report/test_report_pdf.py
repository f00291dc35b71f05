"""A synthetic report typeset to PDF (resilience.report.pdf with the `typst` wheel) and read back with pypdf:
pages, the embedded figure (its pixel size), the text (Latin, escaped specials and Chinese), the CJK font."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest
from PIL import Image

from resilience.report.fonts import CJK_FAMILY, cjk_characters, cjk_font_dir, cjk_subset
from resilience.report.layout import assemble
from resilience.report.pdf import escape, markdown_to_typst, compile_pdf

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("typst")

LONG = " ".join(["Filler sentence to fill the page."] * 120)
SECTIONS = {
    "abstract": "## Abstract\n\nThe claims were tested; verdicts: not supported: 3.",
    "findings": "## Findings\n\n- **Resistance x digitalization**: contradicted (-9.33 [-13.24, -5.42]).\n\n" + LONG,
    "figures": "## Figures\n\nAs @fig:peaks shows.\n\n![A red square for the test](figures/square.png){#fig:peaks}",
    "china": (
        "## Chinese provinces\n\nProvinces 广东省 and 江苏省; specials #1 $2 *3* _4_ @5 <6> `code_x` [7] ~8 // 9.\n\n"
        "Table: Two numbers (`results/tables/x.csv`).\n\n| name | value |\n|---|---:|\n| 北京 | 2.2e-05 |\n"
    ),
    "references": "## References\n\n- Martin, R. (2012). Regional economic resilience. <https://example.org/a>",
}


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    root = tmp_path_factory.mktemp("results")
    (root / "figures").mkdir()
    pixels = np.zeros((40, 60, 3), dtype=np.uint8)
    pixels[..., 0] = 255
    Image.fromarray(pixels).save(root / "figures" / "square.png")
    text = assemble("Synthetic report", "Made by a test.", SECTIONS)
    source = root / "report.typ"
    source.write_text(markdown_to_typst(text, "Synthetic report"), encoding="utf-8")
    out = root / "report.pdf"
    compile_pdf(source, out, root=root, font_dir=cjk_font_dir())
    return out


def test_the_pdf_has_pages_numbered_exhibits_and_the_text(pdf):
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 2  # the filler pushes the figure past the first page
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Synthetic report",
        "Abstract",
        "Contents",
        "Figure 1. A red square for the test",
        "As Figure 1 shows.",
        "Table 1. Two numbers",
        "<0.001",
        "Appendix",
        "References",
        "#1 $2 3 4 @5 <6>",
        "code_x",
        "[7] ~8 // 9.",
    ):
        assert expected in text, expected
    assert "2.2e-05" not in text
    for chinese in ("广东省", "江苏省", "北京"):
        assert chinese in text, chinese


def test_the_pdf_embeds_the_figure_and_the_cjk_font(pdf):
    reader = pypdf.PdfReader(pdf)
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    assert images[0].image.size == (60, 40)
    assert images[0].image.convert("RGB").getpixel((30, 20)) == (255, 0, 0)
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("NotoSansCJK" in name.replace(" ", "") for name in fonts), fonts


def test_the_pdf_bytes_are_the_same_on_a_second_compile(pdf, tmp_path):
    again = tmp_path / "again.pdf"
    compile_pdf(pdf.with_name("report.typ"), again, root=pdf.parent, font_dir=cjk_font_dir())
    assert again.read_bytes() == pdf.read_bytes()


def test_typst_specials_are_escaped_so_they_print_as_themselves():
    assert escape("a#b $c *d* _e_ @f <g> `h` [i] ~j // k = l - m + n") == (
        "a\\#b \\$c \\*d\\* \\_e\\_ \\@f \\<g\\> \\`h\\` \\[i\\] \\~j \\/\\/ k \\= l \\- m \\+ n"
    )


def test_a_table_becomes_a_typst_table_with_a_header_row():
    source = markdown_to_typst("| a | b |\n|---|---|\n| 1 | x_y |\n", "T")
    assert "#table(columns: 2" in source
    assert "[#strong[a]],\n  [#strong[b]],\n  [1],\n  [x\\_\u200by]," in source


def test_a_long_identifier_in_a_table_cell_may_wrap_at_its_underscores(tmp_path):
    term = "contraction_covid_x_digital_z"
    source = markdown_to_typst(f"| term | code |\n|---|---|\n| shock ({term}) | `{term}` |\n", "T")
    # a break opportunity after each underscore of the text; the code span stays one unbroken string
    assert "[shock (contraction\\_\u200bcovid\\_\u200bx\\_\u200bdigital\\_\u200bz)]" in source
    assert f'#raw("{term}")' in source
    path = tmp_path / "t.typ"
    path.write_text(source, encoding="utf-8")
    compile_pdf(path, tmp_path / "t.pdf", root=tmp_path, font_dir=cjk_font_dir())
    text = pypdf.PdfReader(tmp_path / "t.pdf").pages[0].extract_text()
    assert text.replace("\u200b", "").count(term) == 2


def test_the_cjk_subset_covers_exactly_the_cjk_characters_and_is_stable():
    from fontTools.ttLib import TTFont
    import io

    assert cjk_characters("abc 广东 x 东") == "东广"
    data = cjk_subset("Provinces 广东省 and 江苏")
    assert data == cjk_subset("江苏 广东省")
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {chr(c) for c in cmap} >= set("广东省江苏")
    assert "A" not in {chr(c) for c in cmap}
    assert TTFont(io.BytesIO(data))["name"].getDebugName(1) == CJK_FAMILY
    assert cjk_subset("no Chinese here") is None
    assert zlib.crc32(data)  # non-empty bytes


def _placed_image_widths(pdf_path) -> list[tuple[float, float]]:
    """(width, left edge) in points of each image drawn on the first page, from its `cm ... Do` operators."""
    data = pypdf.PdfReader(pdf_path).pages[0].get_contents().get_data().decode("latin-1")
    found = re.findall(r"([-\d.]+) 0 0 ([-\d.]+) ([-\d.]+) ([-\d.]+) cm\s*/\w+ Do", data)
    return [(float(w), float(x)) for w, _, x, _ in found]


def test_figures_keep_their_natural_size_centred_and_shrink_only_to_the_text_width(tmp_path):
    """A 0.6-inch figure (60 px at 100 dpi) is drawn 43.2 pt wide and centred on the A4 page, not blown up
    to the text width; a 30-inch one (3000 px at 100 dpi) is shrunk to the text width."""
    (tmp_path / "figures").mkdir()
    Image.fromarray(np.zeros((40, 60, 3), dtype=np.uint8)).save(tmp_path / "figures" / "narrow.png", dpi=(100, 100))
    Image.fromarray(np.zeros((100, 3000, 3), dtype=np.uint8)).save(tmp_path / "figures" / "wide.png", dpi=(100, 100))
    text = "# T\n\n![Narrow](figures/narrow.png)\n\n![Wide](figures/wide.png)\n"
    source = tmp_path / "report.typ"
    source.write_text(markdown_to_typst(text, "T"), encoding="utf-8")
    compile_pdf(source, tmp_path / "report.pdf", root=tmp_path, font_dir=cjk_font_dir())
    (narrow, narrow_left), (wide, wide_left) = _placed_image_widths(tmp_path / "report.pdf")
    page_width = float(pypdf.PdfReader(tmp_path / "report.pdf").pages[0].mediabox.width)
    assert narrow == pytest.approx(43.2, abs=0.1)
    assert narrow_left + narrow / 2 == pytest.approx(page_width / 2, abs=0.5)
    assert wide == pytest.approx(page_width - 2 * wide_left, abs=0.5) and wide < page_width - 100
