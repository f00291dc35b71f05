"""Figures of the Chinese provinces panel: 2020 resistance and recovery by tercile of pre-shock digital
finance and of secondary-industry concentration, and the panel's coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.figures.common import add_note, check_columns, figure_style, new_figure

TERCILES = ("low", "middle", "high")
PHASE_COLORS = {"resistance": "#2c5f8a", "recovery": "#d95f02"}
OUTCOME_NAMES = {"real_gdp": "real GDP", "nominal_gdp": "nominal GDP"}
EXPOSURE_TITLES = {"dfi": "Digital finance (PKU index, 2019)",
                   "sec_lq": "Secondary-industry share / national share (2019)"}


def tercile_means(martin: pd.DataFrame, exposures: pd.DataFrame, outcome: str, variable: str) -> pd.DataFrame:
    """Mean Martin index (pp) per phase and tercile of one exposure, with the provinces counted.

    Terciles: ``pandas.qcut`` of the exposure over the provinces that have it and the outcome's
    resistance index (labels low, middle, high). Returns columns tercile, phase, mean_pp, n.
    """
    check_columns(martin, ("outcome", "unit", "phase", "index_pp"), "martin table")
    check_columns(exposures, ("unit", "variable", "value"), "exposures table")
    values = exposures[exposures["variable"] == variable].set_index("unit")["value"]
    rows = martin[(martin["outcome"] == outcome) & martin["index_pp"].notna()]
    units = sorted(set(values.dropna().index) & set(rows.loc[rows["phase"] == "resistance", "unit"]))
    if len(units) < 3:
        return pd.DataFrame(columns=["tercile", "phase", "mean_pp", "n"])
    tercile = pd.qcut(values[units], 3, labels=list(TERCILES))
    merged = rows[rows["unit"].isin(units)].assign(tercile=lambda r: r["unit"].map(tercile).astype(str))
    out = merged.groupby(["tercile", "phase"])["index_pp"].agg(mean_pp="mean", n="count").reset_index()
    order = {t: i for i, t in enumerate(TERCILES)}
    return out.sort_values(["tercile", "phase"], key=lambda c: c.map(order) if c.name == "tercile" else c,
                           ignore_index=True)


def resistance_terciles_figure(martin: pd.DataFrame, exposures: pd.DataFrame, outcome: str, benchmark: str,
                               variables=("dfi", "sec_lq")) -> Figure:
    """One panel per exposure: bars of mean resistance and recovery (pp against the benchmark) by tercile."""
    with figure_style():
        fig = new_figure((7.2, 3.6))
        axes = fig.subplots(1, len(variables), sharey=True)
        notes = [f"Martin indices of {OUTCOME_NAMES.get(outcome, outcome)} in percentage points against the "
                 f"{benchmark}; "
                 "bars are tercile means, n = provinces."]
        for ax, variable in zip(np.atleast_1d(axes), variables):
            means = tercile_means(martin, exposures, outcome, variable)
            ax.set_title(EXPOSURE_TITLES.get(variable, variable), fontsize=8.5)
            ax.axhline(0, color="#444444", lw=0.6)
            if means.empty:
                ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, gid="no-data")
                continue
            x = np.arange(len(TERCILES))
            for k, (phase, color) in enumerate(PHASE_COLORS.items()):
                part = means[means["phase"] == phase].set_index("tercile").reindex(list(TERCILES))
                bars = ax.bar(x + (k - 0.5) * 0.38, part["mean_pp"].to_numpy(), width=0.36, color=color,
                              label=phase)
                for patch in bars:
                    patch.set_gid(f"bars:{variable}:{phase}")
                for xi, (mean, n) in zip(x + (k - 0.5) * 0.38, zip(part["mean_pp"], part["n"])):
                    if pd.notna(mean):
                        ax.annotate(f"n={int(n)}", (xi, mean), xytext=(0, 2 if mean >= 0 else -9),
                                    textcoords="offset points", ha="center", fontsize=6.5)
            ax.set_xticks(x, [f"{t} tercile" for t in TERCILES])
        np.atleast_1d(axes)[0].set_ylabel("percentage points vs benchmark")
        np.atleast_1d(axes)[0].legend(loc="best")
        add_note(fig, notes)
    return fig


def coverage_matrix(panel: pd.DataFrame, years: dict, n_units: int = 31, growth: pd.DataFrame | None = None
                    ) -> pd.DataFrame:
    """Share of the provinces with a value, series x year (national rows excluded); with ``growth``
    (wide unit, year, g_*), its growth columns are added as rows too."""
    check_columns(panel, ("unit", "year", "series", "value"), "china panel")
    rows = panel[(panel["unit"] != "CN") & panel["value"].notna()]
    if growth is not None:
        extra = growth.melt(id_vars=["unit", "year"], var_name="series", value_name="value").dropna()
        rows = pd.concat([rows, extra[extra["unit"] != "CN"]], ignore_index=True)
    counts = rows.groupby(["series", "year"])["unit"].nunique().unstack("year")
    all_years = list(range(years["start"], years["end"] + 1))
    return counts.reindex(columns=all_years).fillna(0) / n_units


def coverage_figure(panel: pd.DataFrame, years: dict, compiled: set[str], growth: pd.DataFrame | None = None
                    ) -> Figure:
    """Heat map of the share of the 31 provinces observed, by series and year; compiled series marked;
    growth columns (g_*) as computed rows (g_gdp: real growth from the aligned index)."""
    matrix = coverage_matrix(panel, years, growth=growth)
    with figure_style():
        fig = new_figure((7.2, 0.5 + 0.32 * max(len(matrix), 1) + 0.9))
        ax = fig.add_subplot()
        if matrix.empty:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, gid="no-data")
            return fig
        image = ax.imshow(matrix.to_numpy(), aspect="auto", cmap="Blues", vmin=0, vmax=1, interpolation="none")
        image.set_gid("coverage")
        ax.set_yticks(range(len(matrix)), [f"{s} (compiled)" if s in compiled else s for s in matrix.index])
        ax.set_xticks(range(0, matrix.shape[1], 2), [str(y) for y in matrix.columns[::2]], rotation=90)
        ax.grid(False)
        fig.colorbar(image, ax=ax, label="share of 31 provinces")
        add_note(fig, ["'(compiled)': taken from a compiled panel, not a publisher file. g_*: computed growth "
                       "(g_gdp real, from the GDP index rows used; g_gdp_nominal; g_emp urban-unit employment)."])
    return fig
