"""Output paths around a shock episode: unit index (100 at the contraction start) by tercile."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from resilience.errors import ConfigError, InputError
from resilience.figures.common import (add_note, check_columns, figure_style, long_levels,
                                       new_figure)

TERCILES = ("low", "mid", "high")
TERCILE_LABELS = {"low": "Low", "mid": "Middle", "high": "High"}
TERCILE_COLORS = {"low": "#1b9e77", "mid": "#7570b3", "high": "#d95f02"}
_TERCILE_CODES = {"1": "low", "2": "mid", "3": "high",
                  "low": "low", "mid": "mid", "middle": "mid", "high": "high"}

FIGSIZE = (6.4, 4.2)


def _check_window(window) -> tuple[int, int]:
    try:
        lo, hi = (int(w) for w in window)
    except (TypeError, ValueError):
        raise ConfigError(f"window must be two integers (before, after), got {window!r}") from None
    if not lo <= 0 <= hi:
        raise ConfigError(f"window must satisfy before <= 0 <= after, got {window!r}")
    return lo, hi


def index_paths(levels: pd.DataFrame, t0: int, window: tuple[int, int] = (-3, 5)) -> pd.DataFrame:
    """Each unit's level as an index, 100 at ``t0``, for years ``t0+window[0]`` .. ``t0+window[1]``.

    ``levels`` is long ``[iso3, year, value]``. Only units with a finite, positive value at
    ``t0`` are kept (an index needs a positive base). The result has one row per kept unit and
    year of the window (a complete grid; ``value`` and ``index`` are NaN where the unit has no
    value), columns ``iso3, year, rel_year, value, index``, sorted by iso3 and year.
    """
    t0 = int(t0)
    lo, hi = _check_window(window)
    data = long_levels(levels)
    base = data.loc[data["year"] == t0].set_index("iso3")["value"]
    base = base[np.isfinite(base) & (base > 0)]
    units = sorted(base.index)
    years = list(range(t0 + lo, t0 + hi + 1))
    grid = pd.DataFrame({"iso3": np.repeat(units, len(years)),
                         "year": np.tile(np.asarray(years, dtype="int64"), len(units))})
    grid["iso3"] = grid["iso3"].astype(object)
    out = grid.merge(data, on=["iso3", "year"], how="left", validate="one_to_one")
    out["rel_year"] = (out["year"] - t0).astype("int64")
    out["index"] = 100.0 * out["value"] / out["iso3"].map(base).astype("float64")
    out = out.loc[:, ["iso3", "year", "rel_year", "value", "index"]]
    return out.sort_values(["iso3", "year"], kind="mergesort").reset_index(drop=True)


def normalise_terciles(terciles: pd.DataFrame, name: str = "terciles") -> pd.Series:
    """Series iso3 -> 'low' | 'mid' | 'high' from a ``[iso3, tercile]`` table.

    Terciles may be given as 1/2/3 or 'low'/'mid'/'high' (case-insensitive; 'middle' accepted).
    Rows with a missing tercile are dropped; repeated identical rows are allowed, conflicting
    ones are an error.
    """
    check_columns(terciles, ("iso3", "tercile"), name)
    frame = terciles.loc[terciles["tercile"].notna(), ["iso3", "tercile"]].copy()

    def code(v) -> str | None:
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            if float(v).is_integer():
                return _TERCILE_CODES.get(str(int(v)))
            return None
        return _TERCILE_CODES.get(str(v).strip().lower())

    frame["iso3"] = frame["iso3"].astype(str)
    raw_values = frame["tercile"].tolist()
    frame["tercile"] = [code(v) for v in raw_values]
    bad = frame["tercile"].isna().to_numpy()
    if bad.any():
        raw = raw_values[int(np.argmax(bad))]
        raise InputError(name, f"unknown tercile {raw!r}", field="tercile",
                         expected="1, 2, 3 or 'low', 'mid', 'high'")
    frame = frame.drop_duplicates()
    dup = frame["iso3"].duplicated(keep=False)
    if dup.any():
        iso = sorted(frame.loc[dup, "iso3"])[0]
        raise InputError(name, f"conflicting terciles for {iso}", field="tercile",
                         expected="one tercile per iso3")
    return frame.set_index("iso3")["tercile"].sort_index()


def _episode_years(episode: Mapping) -> tuple[str, int, int]:
    try:
        name = str(episode.get("label") or episode["name"])
        contraction = [int(y) for y in episode["contraction"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ConfigError(
            f"episode must have 'name' and 'contraction': [start, trough], got {episode!r}"
        ) from None
    if not 1 <= len(contraction) <= 2:
        raise ConfigError(f"episode {name!r}: contraction must be [start, trough]")
    t0, trough = contraction[0], contraction[-1]
    if trough < t0:
        raise ConfigError(f"episode {name!r}: contraction trough {trough} before start {t0}")
    return name, t0, trough


def output_index_by_tercile(levels: pd.DataFrame, terciles: pd.DataFrame, episode: Mapping,
                            window: tuple[int, int] = (-3, 5), *, median: bool = False,
                            tercile_label: str = "Tercile",
                            ylabel: str = "Manufacturing value added") -> Figure:
    """Mean (and optionally median) unit index, 100 at the contraction start, by tercile.

    ``levels``: long ``[iso3, year, value]`` (manufacturing value added, constant prices);
    ``terciles``: ``[iso3, tercile]`` with 1/2/3 or 'low'/'mid'/'high'; ``episode``: a dict with
    ``name`` (``label`` is used for the title if present) and ``contraction: [t0, trough]``.
    Only units with a positive value at ``t0`` enter; the legend gives n per tercile. Means and
    medians are over the units observed in each year. The contraction years are shaded.
    Units without a tercile, units without a value at t0, gaps and empty terciles are stated in
    a note on the figure.

    Artists carry gids for inspection: ``mean:<tercile>``, ``median:<tercile>``,
    ``reference`` (the 100 line), ``contraction`` (the shading), ``note``.
    """
    name, t0, trough = _episode_years(episode)
    lo, hi = _check_window(window)
    data = long_levels(levels)
    groups = normalise_terciles(terciles)
    paths = index_paths(data, t0, (lo, hi))

    in_terciles = set(groups.index)
    indexed = set(paths["iso3"])
    notes: list[str] = []
    no_tercile = sorted(indexed - in_terciles)
    if no_tercile:
        notes.append(f"Without a tercile (excluded): {len(no_tercile)} unit(s): "
                     + ", ".join(no_tercile) + ".")
    no_base = sorted(in_terciles - indexed)
    if no_base:
        notes.append(f"No positive value in {t0} (excluded): {len(no_base)} unit(s): "
                     + ", ".join(no_base) + ".")

    paths = paths.loc[paths["iso3"].isin(in_terciles)].copy()
    paths["tercile"] = paths["iso3"].map(groups)
    missing_cells = int(paths["index"].isna().sum())
    if missing_cells:
        notes.append(f"{missing_cells} unit-year(s) missing in the window; "
                     "statistics are over the units observed in each year.")

    with figure_style():
        fig = new_figure(FIGSIZE)
        ax = fig.add_subplot()
        if trough > t0:
            span = ax.axvspan(t0, trough, color="#bdbdbd", alpha=0.35, lw=0, zorder=0)
        else:
            span = ax.axvspan(t0 - 0.5, t0 + 0.5, color="#bdbdbd", alpha=0.35, lw=0, zorder=0)
        span.set_gid("contraction")
        ref = ax.axhline(100.0, color="#555555", lw=0.8, ls=":", zorder=1)
        ref.set_gid("reference")

        handles = []
        empty = []
        for tercile in TERCILES:
            sub = paths.loc[paths["tercile"] == tercile]
            n = int(sub["iso3"].nunique())
            if n == 0:
                empty.append(TERCILE_LABELS[tercile].lower())
                continue
            stats = (sub.groupby("year", sort=True)["index"]
                     .agg(["mean", "median", "count"]).reindex(range(t0 + lo, t0 + hi + 1)))
            color = TERCILE_COLORS[tercile]
            (line,) = ax.plot(stats.index.to_numpy(), stats["mean"].to_numpy(), color=color,
                              lw=1.8, marker="o", ms=3.5, zorder=3,
                              label=f"{TERCILE_LABELS[tercile]} (n={n})")
            line.set_gid(f"mean:{tercile}")
            handles.append(line)
            if median:
                (mline,) = ax.plot(stats.index.to_numpy(), stats["median"].to_numpy(),
                                   color=color, lw=1.2, ls="--", zorder=2,
                                   label=f"_median:{tercile}")
                mline.set_gid(f"median:{tercile}")
        if empty:
            notes.append("No units in tercile(s): " + ", ".join(empty) + ".")

        # Legend proxies are not added to the axes, so ax.lines holds only the plotted paths.
        extra = [Patch(facecolor="#bdbdbd", alpha=0.35, label="Contraction")]
        if median:
            extra.insert(0, Line2D([], [], color="#555555", lw=1.2, ls="--",
                                   label="Median (dashed)"))
        ax.legend(handles=handles + extra,
                  title=tercile_label + (": mean (solid)" if median else ": mean"), loc="best")
        ax.set_xlim(t0 + lo - 0.3, t0 + hi + 0.3)
        ax.set_xticks(range(t0 + lo, t0 + hi + 1))
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("Year")
        ax.set_ylabel(f"{ylabel}, index ({t0} = 100)")
        ax.set_title(name)
        add_note(fig, notes)
    return fig
