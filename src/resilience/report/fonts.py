"""The CJK font the HTML and PDF reports set Chinese text in: Noto Sans CJK SC from the PyPI package
`manimgx-fonts-cjk` (installed with the pipeline's other dependencies, so no system font is needed).

The HTML report embeds only the glyphs of the characters it uses (a subset of a 32 MB file); the PDF
build points Typst at the package's directory.
"""

from __future__ import annotations

import io
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILE = "NotoSansCJK-VF.otf.ttc"


def cjk_font_dir() -> Path:
    """The directory holding the Noto Sans CJK collection."""
    import manimgx_fonts_cjk

    folder = Path(manimgx_fonts_cjk.__file__).resolve().parent
    if not (folder / CJK_FILE).is_file():
        raise FileNotFoundError(f"{folder / CJK_FILE}: the CJK font is missing (reinstall manimgx-fonts-cjk)")
    return folder


def cjk_characters(text: str) -> str:
    """The distinct characters of `text` outside Latin, Greek and the common punctuation, sorted."""
    return "".join(sorted({ch for ch in text if ord(ch) >= 0x2E80}))


def cjk_subset(text: str, font_dir: Path | None = None) -> bytes | None:
    """Noto Sans CJK SC cut down to the CJK characters of `text` (OpenType bytes, the same bytes for
    the same text), or None when `text` has none."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    characters = cjk_characters(text)
    if not characters:
        return None
    path = (font_dir or cjk_font_dir()) / CJK_FILE
    names = [f["name"].getDebugName(1) for f in TTCollection(str(path), lazy=True).fonts]
    if CJK_FAMILY not in names:
        raise ValueError(f"{path}: no face {CJK_FAMILY!r} in the collection (faces: {', '.join(names)})")
    # recalcTimestamp=False keeps the source's 'head' dates, so the subset's bytes do not depend on the clock
    font = TTFont(str(path), fontNumber=names.index(CJK_FAMILY), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
