"""Stable number formatting and Markdown tables for the report (same input, same bytes)."""

from __future__ import annotations

import math

import pandas as pd


def fmt(value, digits: int = 2) -> str:
    """Fixed decimals, 'n/a' for missing, and never '-0.00'."""
    if value is None or pd.isna(value):
        return "n/a"
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def fmt_signed(value, digits: int = 2) -> str:
    """Like :func:`fmt`, but a small non-zero number keeps ``digits`` significant digits, so that its
    sign survives (-0.0048, not 0.00)."""
    if value is None or pd.isna(value) or float(value) == 0 or abs(float(value)) >= 10 ** -digits:
        return fmt(value, digits)
    # fixed decimals, as many as ``digits`` significant digits need (never scientific notation)
    decimals = digits - 1 - math.floor(math.log10(abs(float(value))))
    return f"{float(value):.{decimals}f}"


def fmt_p(value) -> str:
    """A p-value to three decimals, '< 0.001' where they would show 0.000: two decimals would print
    0.052 as 0.05, which reads as significant at 5%."""
    if value is None or pd.isna(value):
        return "n/a"
    return "< 0.001" if float(value) < 0.0005 else fmt(value, 3)


def pct(value, digits: int = 0) -> str:
    return fmt(value, digits) + "%" if fmt(value, digits) != "n/a" else "n/a"


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return fmt(value, 3) if abs(value) < 1e6 else f"{value:.4g}"
    if value is None or value is pd.NA:
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-style pipe table of every row and column of `frame`."""
    header = "| " + " | ".join(_cell(str(c)) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule] + rows)
