"""The report's order, table of contents and exhibit numbering, as functions of Markdown text.

The report is a set of named sections (Markdown, each opening with a `## ` heading). `order_sections`
places them by name: the front matter, the main exhibits, the context analyses, then every section
this module does not know (in the order given, so a new section slots in by name without a code
change), then the appendix. A section may send its long tables to the appendix: the text after a
line `<!-- appendix -->` (a part opening with its own `## ` heading) opens the appendix, so the main
text keeps the plot and a reference to the table. `number_exhibits` numbers figures and tables in
reading order and resolves references to them; `table_of_contents` lists the `## ` headings with the
anchors the HTML renderer gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

# Section names by part of the report. A name in no list is a context or panel section: it goes
# after CONTEXT and before APPENDIX, in the order the caller gives.
FRONT = ("abstract", "findings", "claims")
MAIN_EXHIBITS = ("measures", "models", "figures")
CONTEXT = ("backup_game",)
APPENDIX = ("sources", "unavailable_sources", "coverage", "series_breaks", "composite_indices", "lineage", "references")
APPENDIX_HEADING = "## Appendix"
APPENDIX_MARKER = "<!-- appendix -->"

# `Table: caption` on the line before a pipe table gives the table its caption (pandoc's syntax);
# `{#tbl:key}` / `{#fig:key}` right after a caption or image names the exhibit, `@tbl:key` refers to it.
_TABLE_CAPTION = re.compile(r"^Table:\s*(?:\{#(tbl:[a-z0-9_]+)\}\s*)?(.*)$")
_IMAGE = re.compile(r"^!\[(.*?)\]\(([^)\s]+)\)(?:\{#(fig:[a-z0-9_]+)\})?\s*$")
_REFERENCE = re.compile(r"@((?:tbl|fig):[a-z0-9_]+)")
_RESULTS_PATH = re.compile(r"`(results/[^`\s]+)`")


@dataclass(frozen=True)
class Exhibit:
    kind: str  # "Figure" or "Table"
    number: int
    caption: str
    section: str  # the `## ` heading it sits under
    files: tuple[str, ...]  # results files it shows (the image; tables: those its caption cites)


def order_sections(sections: dict[str, str]) -> list[str]:
    """Section names in report order (see the module docstring); `sections` keeps the caller's order."""
    known = FRONT + MAIN_EXHIBITS + CONTEXT + APPENDIX
    unknown = [name for name in sections if name not in known]
    head = [n for n in FRONT + MAIN_EXHIBITS + CONTEXT if n in sections]
    return head + unknown + [n for n in APPENDIX if n in sections]


def assemble(title: str, preface: str, sections: dict[str, str]) -> str:
    """Title, preface, contents, then the sections in report order; the appendix (the parts sections
    send there, in section order, then the appendix sections) one heading level down."""
    main, moved_parts, appendix_sections = [], [], []
    for name in order_sections(sections):
        if name in APPENDIX:
            appendix_sections += [sections[name].strip()] if sections[name].strip() else []
            continue
        text, moved = split_appendix(sections[name])
        if text:
            main += [separate_lists(text), ""]
        if moved:
            moved_parts.append(moved)
    appendix = [
        line for part in moved_parts + appendix_sections for line in (demote_headings(separate_lists(part)), "")
    ]
    body = main + ([APPENDIX_HEADING, "", *appendix] if appendix else [])
    numbered, _ = number_exhibits("\n".join(body))
    contents = table_of_contents(f"# {title}\n\n## Contents\n\n{numbered}")
    return "\n".join([f"# {title}", "", preface.strip(), "", contents, "", numbered]).rstrip() + "\n"


def split_appendix(text: str) -> tuple[str, str]:
    """(main text, the part for the appendix) of a section: split at its `<!-- appendix -->` line."""
    parts = re.split(rf"^{re.escape(APPENDIX_MARKER)}[ \t]*$", text, maxsplit=1, flags=re.M)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def headline(report: str) -> str:
    """The first paragraph of the report's Abstract section (or a note that it has none)."""
    match = re.search(r"^## Abstract\n\n(.+?)(?:\n\n|\Z)", report, re.M | re.S)
    return match.group(1).replace("\n", " ").strip() if match else "(the report has no abstract)"


def separate_lists(text: str) -> str:
    """A blank line before a list that follows a paragraph line: Python-Markdown (the HTML and PDF
    renderer) otherwise reads the list items as part of the paragraph."""
    out: list[str] = []
    for line in text.splitlines():
        starts_list = re.match(r"^(?:[-*+]|\d+\.) ", line)
        previous = out[-1] if out else ""
        if (
            starts_list
            and previous.strip()
            and not re.match(r"^\s*(?:[-*+]|\d+\.) ", previous)
            and not previous.startswith(("|", "#", "    "))
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)


def demote_headings(text: str) -> str:
    """Every ATX heading one level deeper (outside fenced code)."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if not fenced and re.match(r"^#{1,5} ", line) else line)
    return "\n".join(out)


def heading_anchors(text: str) -> list[tuple[int, str, str]]:
    """(level, title, anchor) of every heading, anchors as markdown's `toc` extension makes them."""
    seen: set[str] = set()
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else re.match(r"^(#{1,6}) (.+?)\s*#*\s*$", line)
        if match:
            title = match.group(2)
            plain = re.sub(r"[`*]", "", title)
            found.append((len(match.group(1)), title, unique(slugify(plain, "-"), seen)))
    return found


def table_of_contents(text: str) -> str:
    """A nested list of the `##` and `###` headings of the appendix, linked to their anchors."""
    lines = ["## Contents", ""]
    in_appendix = False
    for level, title, anchor in heading_anchors(text):
        if level == 2 and title == "Contents":
            continue
        if level == 2:
            in_appendix = title == APPENDIX_HEADING.removeprefix("## ")
            lines.append(f"- [{title}](#{anchor})")
        elif level == 3 and in_appendix:
            lines.append(f"    - [{title}](#{anchor})")
    return "\n".join(lines)


def number_exhibits(text: str) -> tuple[str, list[Exhibit]]:
    """Figures and tables numbered in reading order; references `@tbl:key` / `@fig:key` resolved.

    A figure is an image alone on its line; its caption is the image's alt text, shown below it as
    "**Figure n.** caption". A table is a pipe table; its caption is the `Table:` line before it, or, if
    it has none, the heading it sits under. The caption is shown above it as "**Table n.** caption".
    """
    lines = text.splitlines()
    out: list[str] = []
    exhibits: list[Exhibit] = []
    keys: dict[str, str] = {}
    section = ""
    pending_caption: tuple[str | None, str] | None = None
    counts = {"Figure": 0, "Table": 0}
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"^#{2,6} (.+)$", line)
        if heading:
            section = heading.group(1).strip()
        caption_match = _TABLE_CAPTION.match(line)
        image = _IMAGE.match(line)
        if caption_match:
            pending_caption = (caption_match.group(1), caption_match.group(2).strip())
            i += 1
            continue
        if image:
            counts["Figure"] += 1
            number = counts["Figure"]
            caption, path, key = image.group(1).strip(), image.group(2), image.group(3)
            if key:
                keys[key] = f"Figure {number}"
            exhibits.append(Exhibit("Figure", number, caption, section, (_results_path(path),)))
            out += [f"![Figure {number}. {caption}]({path})", "", f"**Figure {number}.** {caption}"]
            i += 1
            continue
        if line.startswith("|") and (not out or not out[-1].startswith("|")):
            counts["Table"] += 1
            number = counts["Table"]
            key, caption = pending_caption if pending_caption else (None, section)
            if key:
                keys[key] = f"Table {number}"
            files = tuple(dict.fromkeys(_RESULTS_PATH.findall(caption)))
            exhibits.append(Exhibit("Table", number, caption, section, files))
            if out and out[-1].strip():
                out.append("")
            out += [f"**Table {number}.** {caption}", ""]
            pending_caption = None
        elif pending_caption and not line.strip():
            i += 1  # the blank line between a caption and its table
            continue
        elif pending_caption:
            # a caption line not followed by a table is kept as text
            out.append(f"Table: {pending_caption[1]}")
            pending_caption = None
        out.append(humanize_table_row(line) if line.startswith("|") else line)
        i += 1
    resolved = _REFERENCE.sub(lambda m: keys.get(m.group(1), m.group(0)), "\n".join(out))
    return resolved, exhibits


_NUMBERED_FIGURE = re.compile(r"^!\[Figure (\d+)\. (.*?)\]\(([^)\s]+)\)\s*$")
_NUMBERED_TABLE = re.compile(r"^\*\*Table (\d+)\.\*\* (.*)$")


def list_exhibits(numbered: str) -> list[Exhibit]:
    """The exhibits of a report `number_exhibits` has numbered, read back from its text in order."""
    found, section = [], ""
    for line in numbered.splitlines():
        heading = re.match(r"^#{2,6} (.+)$", line)
        if heading:
            section = heading.group(1).strip()
        if figure := _NUMBERED_FIGURE.match(line):
            found.append(
                Exhibit("Figure", int(figure.group(1)), figure.group(2), section, (_results_path(figure.group(3)),))
            )
        elif table := _NUMBERED_TABLE.match(line):
            caption = table.group(2)
            found.append(
                Exhibit(
                    "Table", int(table.group(1)), caption, section, tuple(dict.fromkeys(_RESULTS_PATH.findall(caption)))
                )
            )
    return found


def _results_path(path: str) -> str:
    return path if path.startswith("results/") else f"results/{path}"


_NUMBER = re.compile(r"^(-?)(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)$")


def human_number(text: str) -> str:
    """A numeric table cell as people read it: no exponents, at most three decimals, thousands separated.

    Integers below 100,000 (years, counts) are left alone; a number that rounds to zero at three decimals
    is "<0.001" (or ">-0.001"); numbers of 10,000 or more lose their decimals and gain separators.
    """
    stripped = text.strip()
    match = _NUMBER.match(stripped)
    if not match or ("." not in stripped and "e" not in stripped.lower() and abs(int(stripped)) < 100_000):
        return text
    value = float(stripped)
    if value != 0 and abs(value) < 0.0005:
        return "<0.001" if value > 0 else ">-0.001"
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    decimals = len(stripped.split(".")[1]) if "." in stripped and "e" not in stripped.lower() else 3
    shown = f"{value:.{min(decimals, 3)}f}"
    return shown.lstrip("-") if float(shown) == 0 else shown


def humanize_table_row(line: str) -> str:
    """`human_number` applied to every cell of one pipe-table row (the alignment row untouched)."""
    if re.match(r"^\|[\s:|-]+\|\s*$", line):
        return line
    cells = re.split(r"(?<!\\)\|", line)
    inner = [f" {human_number(c.strip())} " if c.strip() else c for c in cells[1:-1]]
    return "|".join([cells[0], *inner, cells[-1]])
