"""The report as a PDF: its Markdown turned into Typst markup (`markdown_to_typst`), compiled by the
`typst` wheel from PyPI (`compile_pdf`), offline, with the CJK font of `resilience.report.fonts`.

The Markdown is first rendered to HTML by the same renderer as the HTML report, so both show the same
document; the HTML tree is then written out as Typst. Every piece of text is escaped, so a character
that means something to Typst (`#`, `$`, `*`, `_`, `@`, `<`, ...) prints as itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown as md_lib

from resilience.report.fonts import CJK_FAMILY

_ESCAPE = re.compile(r"([\\#$*_@<>`\[\]~/=+\-'\"])")
_VOID = {"img", "br", "hr"}


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node or str


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def html_tree(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def escape(text: str) -> str:
    """Plain text as Typst markup that prints it unchanged (whitespace runs become one space)."""
    return _ESCAPE.sub(r"\\\1", re.sub(r"\s+", " ", text))


def typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _text_of(node) -> str:
    return node if isinstance(node, str) else "".join(_text_of(c) for c in node.children)


def inline(node) -> str:
    """Inline content (text, emphasis, code, links, images) as Typst markup."""
    if isinstance(node, str):
        return escape(node)
    inner = "".join(inline(c) for c in node.children)
    match node.tag:
        case "strong" | "b":
            return f"#strong[{inner}]"
        case "em" | "i":
            return f"#emph[{inner}]"
        case "code":
            return f"#raw({typst_string(_text_of(node))})"
        case "a":
            href = node.attrs.get("href", "")
            return f"#link({typst_string(href)})[{inner}]" if href.startswith(("http://", "https://")) else inner
        case "br":
            return " \\ "
        case "img":
            # natural size (the PNG's own dpi), shrunk to the text width where wider: a one-panel figure
            # is not blown up to twice the type size of a two-panel one
            return f"#image({typst_string(node.attrs['src'])})"
        case _:
            return inner


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _rows(table: Node) -> list[Node]:
    rows = []
    for child in table.children:
        if isinstance(child, Node) and child.tag == "tr":
            rows.append(child)
        elif isinstance(child, Node) and child.tag in ("thead", "tbody"):
            rows += [r for r in child.children if isinstance(r, Node) and r.tag == "tr"]
    return rows


# A zero-width space after each escaped underscore: a narrow table column may then wrap a long
# identifier (contraction_covid_x_digital_z) at its underscores instead of running into the next cell.
# Code spans (#raw strings) are left whole.
BREAK_AFTER_UNDERSCORE = ("\\_", "\\_\u200b")


def table(node: Node) -> str:
    rows = _rows(node)
    if not rows:
        return ""
    width = max(len(_cells(r)) for r in rows)
    cells = []
    for row in rows:
        for cell in _cells(row):
            content = "".join(inline(c) for c in cell.children).strip().replace(*BREAK_AFTER_UNDERSCORE)
            cells.append(f"[#strong[{content}]]" if cell.tag == "th" else f"[{content}]")
        cells += ["[]"] * (width - len(_cells(row)))
    size = "8pt" if width <= 6 else "6.5pt"
    return (
        f"#text(size: {size})[#table(columns: {width}, align: left, stroke: 0.4pt + luma(180), "
        f"inset: 3pt,\n  " + ",\n  ".join(cells) + ",\n)]"
    )


def list_block(node: Node, depth: int = 0) -> list[str]:
    marker = "+" if node.tag == "ol" else "-"
    lines = []
    for item in (c for c in node.children if isinstance(c, Node) and c.tag == "li"):
        text, nested = [], []
        for child in item.children:
            if isinstance(child, Node) and child.tag in ("ul", "ol"):
                nested += list_block(child, depth + 1)
            elif isinstance(child, Node) and child.tag == "p":
                text.append("".join(inline(c) for c in child.children))
            else:
                text.append(inline(child))
        lines.append("  " * depth + f"{marker} " + "".join(text).strip())
        lines += nested
    return lines


def _only_image(node: Node) -> Node | None:
    content = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
    return content[0] if len(content) == 1 and isinstance(content[0], Node) and content[0].tag == "img" else None


def blocks(root: Node) -> list[str]:
    """Block content as Typst, one block per item; a figure and its caption kept on one page."""
    out: list[str] = []
    children = [c for c in root.children if not (isinstance(c, str) and not c.strip())]
    skip_next_list = False
    for node in children:
        if isinstance(node, str):
            out.append(escape(node))
            continue
        if skip_next_list and node.tag in ("ul", "ol"):
            skip_next_list = False
            continue
        match node.tag:
            case "h1":
                out.append(f'#align(center, text(size: 17pt, weight: "bold")[{inline(node)}])')
            case "h2" | "h3" | "h4" | "h5" | "h6":
                if node.tag == "h2" and _text_of(node).strip() == "Contents":
                    out.append("#outline(title: [Contents], depth: 2)")
                    skip_next_list = True
                    continue
                out.append("=" * (int(node.tag[1]) - 1) + " " + inline(node).strip())
            case "p":
                image = _only_image(node)
                if image is not None:
                    out.append(f"#block(breakable: false, width: 100%)[#align(center)[{inline(image)}]]")
                else:
                    out.append("".join(inline(c) for c in node.children).strip())
            case "ul" | "ol":
                out.append("\n".join(list_block(node)))
            case "table":
                out.append(table(node))
            case "pre":
                out.append(f"#raw(block: true, {typst_string(_text_of(node))})")
            case "blockquote":
                out.append("#quote(block: true)[" + "\n\n".join(blocks(node)) + "]")
            case "hr":
                out.append("#line(length: 100%)")
            case _:
                out.append("".join(inline(c) for c in node.children))
    return [b for b in out if b.strip()]


PREAMBLE = """#set document(title: {title}, date: none)
#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")
#set text(font: ("Libertinus Serif", {cjk}), size: 10pt, lang: "en")
#set par(justify: true)
#show table: set par(justify: false)
#show list: set par(justify: false)
#show enum: set par(justify: false)
#show heading: set block(above: 1.4em, below: 0.8em)
#show raw: set text(font: ("DejaVu Sans Mono", {cjk}), size: 0.85em)
#show link: set text(fill: rgb("#1a4f8b"))
"""


def markdown_to_typst(markdown_text: str, title: str) -> str:
    """The report's Markdown as a Typst document (A4, page numbers, outline in place of the Contents list)."""
    html = md_lib.markdown(markdown_text, extensions=["tables"])
    preamble = PREAMBLE.format(title=typst_string(title), cjk=typst_string(CJK_FAMILY))
    return preamble + "\n" + "\n\n".join(blocks(html_tree(html))) + "\n"


def compile_pdf(typst_source: Path, pdf: Path, root: Path, font_dir: Path) -> None:
    """Compile with the `typst` wheel: files resolved under `root`, fonts from `font_dir` and Typst's own
    embedded fonts only (never the machine's), so the bytes do not depend on what is installed."""
    import typst

    pdf.parent.mkdir(parents=True, exist_ok=True)
    tmp = pdf.with_name(pdf.name + ".tmp")
    typst.compile(
        str(typst_source), output=str(tmp), root=str(root), font_paths=[str(font_dir)], ignore_system_fonts=True
    )
    tmp.replace(pdf)
