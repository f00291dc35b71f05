"""Figures of trade diversion.

``partner_ratios_figure``: left, US imports from each partner relative to China by quarter
(gids ``ratio:<iso3>``); right, annual US imports by partner in US$ bn (gids ``imports:<iso3>``).
``china_share_figure``: left, China's share of all US imports by year (gid ``share:all``);
right, China's share by HS section in the base and latest year (each bar's gid ``section:<year>``);
without HS detail (no section with status ``ok``) the figure has the left panel only, and the report
section says why the right one is not drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from resilience.context.trade.analysis import drawable_sections
from resilience.figures.common import add_note, check_columns, figure_style, new_figure

FIGSIZE = (8.4, 3.9)
ONE_PANEL_FIGSIZE = (4.6, 3.9)   # the China-share figure without HS detail: its left panel alone
PARTNER_COLORS = {"CHN": "#d62728", "MEX": "#2ca02c", "VNM": "#ff7f0e", "IND": "#1f77b4", "WLD": "#555555"}
OTHER_COLOR = "#7f7f7f"


def _color(iso3: str) -> str:
    return PARTNER_COLORS.get(iso3, OTHER_COLOR)


def partner_ratios_figure(quarterly: pd.DataFrame, annual: pd.DataFrame, china: str, labels: dict[str, str]) -> Figure:
    check_columns(quarterly, ("source", "partner", "year", "quarter", "ratio_to_china"), "trade_partner_quarterly")
    check_columns(annual, ("source", "partner", "year", "imports_usd_bn"), "trade_partner_annual")
    source = quarterly["source"].iloc[0] if not quarterly.empty else (annual["source"].iloc[0] if not annual.empty else "")
    with figure_style():
        fig = new_figure(FIGSIZE)
        left, right = fig.subplots(1, 2)
        q = quarterly[quarterly["source"] == source]
        for iso in [p for p in labels if p not in (china, "WLD")]:
            rows = q[q["partner"] == iso].sort_values(["year", "quarter"])
            if rows.empty:
                continue
            x = rows["year"] + (rows["quarter"] - 1) / 4.0
            (line,) = left.plot(x, rows["ratio_to_china"], color=_color(iso), lw=1.5, label=labels[iso])
            line.set_gid(f"ratio:{iso}")
        left.set_title(f"Imports relative to China ({labels.get(china, china)} = 1), by quarter")
        left.set_ylabel("ratio of US$ values")
        left.set_ylim(bottom=0)
        a = annual[annual["source"] == source]
        for iso in [p for p in labels if p != "WLD"]:
            rows = a[a["partner"] == iso].sort_values("year")
            if rows.empty:
                continue
            (line,) = right.plot(rows["year"], rows["imports_usd_bn"], color=_color(iso), lw=1.5, marker="o",
                                 ms=3, label=labels[iso])
            line.set_gid(f"imports:{iso}")
        right.set_title("US goods imports by partner, by year")
        right.set_ylabel("US$ bn")
        right.set_ylim(bottom=0)
        right.legend(loc="center right")
        for ax in (left, right):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if q.empty:
            left.text(0.5, 0.5, "no monthly source available", transform=left.transAxes, ha="center", va="center")
        add_note(fig, [f"Source: {source or 'none'} (US general imports, Census basis, not seasonally adjusted); "
                       "quarters and years only where every month is published."])
    return fig


def china_share_figure(annual: pd.DataFrame, share: pd.DataFrame, china: str, base_year: int) -> Figure:
    check_columns(annual, ("source", "partner", "year", "share_of_us_imports_pct"), "trade_partner_annual")
    check_columns(share, ("scope", "section", "share_base_pct", "share_latest_pct", "latest_year", "status"),
                  "trade_china_share")
    sections = drawable_sections(share)
    with figure_style():
        if sections.empty:
            fig = new_figure(ONE_PANEL_FIGSIZE)
            left, right = fig.subplots(1, 1), None
        else:
            fig = new_figure(FIGSIZE)
            left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.5]})
        source = share.loc[share["scope"] == "all goods", "source"]
        source = source.iloc[0] if not source.empty else (annual["source"].iloc[0] if not annual.empty else "")
        rows = annual[(annual["source"] == source) & (annual["partner"] == china)].dropna(
            subset=["share_of_us_imports_pct"]).sort_values("year")
        (line,) = left.plot(rows["year"], rows["share_of_us_imports_pct"], color=_color(china), lw=1.8, marker="o", ms=3)
        line.set_gid("share:all")
        if base_year in set(rows["year"]):
            left.axvline(base_year, color="#999999", lw=0.8, ls="--")
        left.set_title("China's share of US goods imports")
        left.set_ylabel("%")
        left.set_ylim(bottom=0)
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        if right is None:
            add_note(fig, [f"Share from {source or 'no source'}; dashed line: {base_year}."])
            return fig
        latest = int(sections["latest_year"].iloc[0])
        y = np.arange(len(sections))
        b = right.barh(y - 0.2, sections["share_base_pct"], height=0.4, color="#bbbbbb", label=str(base_year))
        for patch in b:
            patch.set_gid(f"section:{base_year}")
        c = right.barh(y + 0.2, sections["share_latest_pct"], height=0.4, color=_color(china), label=str(latest))
        for patch in c:
            patch.set_gid(f"section:{latest}")
        right.set_yticks(y, sections["section"].tolist())
        right.invert_yaxis()
        right.set_xlabel("China's share of US imports (%)")
        right.set_title("By HS section")
        right.legend(loc="lower right")
        add_note(fig, [f"Overall share from {source or 'no source'}; by section from {sections['source'].iloc[0]}."])
    return fig
