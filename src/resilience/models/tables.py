"""Regression tables from the coefficient table: Markdown and LaTeX (booktabs), deterministic.

One column per (model, episode) in order of first appearance, one pair of rows per term (in order of
first appearance): the coefficient with stars (* p<0.1, ** p<0.05, *** p<0.01, from the unrounded
p) and the standard error in parentheses below it. Then N, R2, R2 within, entity and time effects,
covariance and clusters, and a note naming each small-sample convention with its models.
Numbers use ``format_number`` (fixed decimals, never '-0.000'), so the same table gives the same bytes.
"""

from __future__ import annotations

import math

import pandas as pd

STARS = ((0.01, "***"), (0.05, "**"), (0.1, "*"))
STAR_NOTE = "* p<0.1, ** p<0.05, *** p<0.01. Standard errors in parentheses."
MARKDOWN_LABELS = {"R2": "R²", "R2 within": "R² within"}
LATEX_LABELS = {"R2": "R$^2$", "R2 within": "R$^2$ within"}
_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "<": r"$<$", ">": r"$>$"}


def format_number(value, decimals: int = 3) -> str:
    """Fixed-decimal text; '' for missing; a value that rounds to zero is '0.000', never '-0.000'."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{float(value):.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def stars(p) -> str:
    """'***' if p < 0.01, '**' if p < 0.05, '*' if p < 0.1, else ''."""
    if p is None or p is pd.NA or math.isnan(p):
        return ""
    return next((mark for level, mark in STARS if p < level), "")


def to_markdown(coef_table: pd.DataFrame, decimals: int = 3, labels: dict | None = None,
                p_rows: dict | None = None) -> str:
    """GitHub-flavoured Markdown table plus a notes line (asterisks and pipes escaped).

    ``labels``: {"terms": {term: words}, "models": {model: words}} for the row and column labels;
    ``p_rows``: {row label: {(model, term): p}}, one row of p-values below each term's standard error
    (for the terms that have one), e.g. the wild bootstrap's or a multiple-testing adjustment's.
    """
    header, body, footer, note = _cells(coef_table, decimals, labels=labels or {}, p_rows=p_rows or {})
    footer = [[MARKDOWN_LABELS.get(label, label)] + cells for label, *cells in footer]
    lines = [_markdown_row(header), "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += [_markdown_row(cells) for cells in body + footer]
    return "\n".join(lines) + "\n\n" + _markdown_escape(note) + "\n"


def to_latex(coef_table: pd.DataFrame, decimals: int = 3) -> str:
    """booktabs ``tabular`` (needs \\usepackage{booktabs}) followed by a footnotesize note."""
    header, body, footer, note = _cells(coef_table, decimals, star_format=_latex_stars)
    lines = [rf"\begin{{tabular}}{{l{'c' * (len(header) - 1)}}}", r"\toprule",
             _latex_row([_latex_escape(c) for c in header]), r"\midrule"]
    lines += [_latex_row([_latex_escape(term)] + cells) for term, *cells in body] + [r"\midrule"]
    lines += [_latex_row([LATEX_LABELS.get(label, label)] + [_latex_escape(c) for c in cells])
              for label, *cells in footer]
    lines += [r"\bottomrule", r"\end{tabular}", r"\par\smallskip", r"{\footnotesize " + _latex_escape(note) + r"\par}"]
    return "\n".join(lines) + "\n"


def plain_latex(frame: pd.DataFrame, decimals: int = 3) -> str:
    """booktabs ``tabular`` of every row and column of ``frame`` (a table that is not in the
    coefficient-table layout, e.g. the provinces' model table): numbers by ``format_number``."""
    def cell(value) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return format_number(value, decimals)
        return "" if value is None or value is pd.NA else _latex_escape(str(value))
    lines = [rf"\begin{{tabular}}{{{'l' * frame.shape[1]}}}", r"\toprule",
             _latex_row([_latex_escape(str(c)) for c in frame.columns]), r"\midrule"]
    lines += [_latex_row([cell(v) for v in row]) for row in frame.itertuples(index=False)]
    return "\n".join(lines + [r"\bottomrule", r"\end{tabular}"]) + "\n"


def _cells(coef_table: pd.DataFrame, decimals: int, star_format=lambda marks: marks, labels: dict | None = None,
           p_rows: dict | None = None):
    """(header, body rows, footer rows, note) as text cells; footer labels are plain keys."""
    labels, p_rows = labels or {}, p_rows or {}
    keys = list(dict.fromkeys(zip(coef_table["model"], coef_table["episode"])))
    model_words, term_words = labels.get("models", {}), labels.get("terms", {})
    columns = [model_words.get(model, model) if not episode else f"{model_words.get(model, model)} ({episode})"
               for model, episode in keys]
    blocks = [coef_table[(coef_table["model"] == m) & (coef_table["episode"] == e)].set_index("term")
              for m, e in keys]
    body = []
    for term in dict.fromkeys(coef_table["term"]):
        body.append([term_words.get(term, term)] + [_coef_cell(b, term, decimals, star_format) for b in blocks])
        body.append([""] + [_se_cell(b, term, decimals) for b in blocks])
        for row_label, values in p_rows.items():
            cells = [_p_cell(values.get((model, term))) for model, _ in keys]
            if any(cells):
                body.append([row_label] + cells)
    return [""] + columns, body, _footer([b.iloc[0] for b in blocks], decimals), _note(blocks, columns)


def _p_cell(p) -> str:
    """A p-value in brackets, '[<0.001]' below the third decimal."""
    if p is None or p is pd.NA or (isinstance(p, float) and math.isnan(p)):
        return ""
    return "[<0.001]" if float(p) < 0.0005 else f"[{format_number(p, 3)}]"


def _coef_cell(block: pd.DataFrame, term: str, decimals: int, star_format) -> str:
    if term not in block.index:
        return ""
    return format_number(block.at[term, "coef"], decimals) + star_format(stars(block.at[term, "p"]))


def _se_cell(block: pd.DataFrame, term: str, decimals: int) -> str:
    return f"({format_number(block.at[term, 'se'], decimals)})" if term in block.index else ""


def _footer(firsts: list[pd.Series], decimals: int) -> list[list[str]]:
    """N, R2, R2 within, effects, covariance and clusters, from each model's first row."""
    def cells(label, show):
        return [label] + [show(f) for f in firsts]
    return [cells("N", lambda f: str(int(f["nobs"]))),
            cells("R2", lambda f: format_number(f["r2"], decimals)),
            cells("R2 within", lambda f: format_number(f["r2_within"], decimals)),
            cells("Entity effects", lambda f: _yes_no(f["entity_effects"])),
            cells("Time effects", lambda f: _yes_no(f["time_effects"])),
            cells("Covariance", lambda f: str(f["cov_type"])),
            cells("Clusters", lambda f: "" if pd.isna(f["n_clusters"]) else str(int(f["n_clusters"])))]


def _note(blocks: list[pd.DataFrame], labels: list[str]) -> str:
    """Star legend, then each small-sample convention followed by the columns that use it."""
    by_convention: dict[str, list[str]] = {}
    for block, label in zip(blocks, labels):
        by_convention.setdefault(str(block["small_sample"].iloc[0]), []).append(label)
    parts = [f"{', '.join(columns)}: {convention}" for convention, columns in by_convention.items()]
    return STAR_NOTE + " Small-sample conventions: " + "; ".join(parts) + "."


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(_markdown_escape(c) for c in cells) + " |"


def _latex_row(cells: list[str]) -> str:
    return " & ".join(cells) + r" \\"


def _latex_stars(marks: str) -> str:
    return f"$^{{{marks}}}$" if marks else ""


def _yes_no(flag) -> str:
    return "yes" if bool(flag) else "no"


def _markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)
