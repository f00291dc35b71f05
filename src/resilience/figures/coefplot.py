"""Coefficient plot: estimates with 95% confidence intervals for the terms of one model."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.errors import InputError
from resilience.figures.common import add_note, check_columns, figure_style, new_figure

COEF_COLUMNS = ("model", "episode", "term", "coef", "se", "t", "p", "ci_low", "ci_high", "nobs",
                "r2", "r2_within", "entity_effects", "time_effects", "cov_type", "small_sample",
                "n_clusters")
_REQUIRED = ("model", "term", "coef", "ci_low", "ci_high", "nobs", "cov_type")
INTERCEPTS = frozenset({"const", "intercept", "_cons", "(intercept)"})

EPISODE_LABELS = {"gfc": "GFC", "covid": "COVID-19", "covid19": "COVID-19"}
PHASES = ("contraction", "recovery")
_PHASE_RE = re.compile(r"^(%s)_(.+)$" % "|".join(PHASES))


def readable_term(term: str, episode_labels: Mapping[str, str] | None = None,
                  words: Mapping[str, str] | None = None) -> str:
    """Human-readable label of a model term.

    Interactions (``_x_``) become ``×``; a phase dummy ``<phase>_<episode>`` becomes
    ``<EPISODE> <phase>`` (episode abbreviations from :data:`EPISODE_LABELS`, else upper case);
    the intercept becomes ``Intercept``; other names are ``words[name]`` (config ``labels.terms``) if
    given there, else kept as they are.
    ``'contraction_gfc_x_digital_z'`` -> ``'GFC contraction × digital_z'``.
    """
    labels = {**EPISODE_LABELS, **(episode_labels or {})}
    term = str(term)
    if term.strip().lower() in INTERCEPTS:
        return "Intercept"
    parts = []
    for factor in term.split("_x_"):
        m = _PHASE_RE.match(factor)
        if m:
            phase, ep = m.groups()
            parts.append(f"{labels.get(ep, ep.replace('_', ' ').upper())} {phase}")
        else:
            parts.append((words or {}).get(factor, factor))
    return " × ".join(parts)


def _fmt_int(v) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{int(f):,}" if math.isfinite(f) and f.is_integer() else str(v)


def _describe(values: pd.Series, fmt=str) -> str:
    """One value, or all distinct values (sorted) when terms disagree."""
    distinct = sorted({fmt(v) for v in values if not (isinstance(v, float) and math.isnan(v))})
    if not distinct:
        return "n/a"
    return distinct[0] if len(distinct) == 1 else " / ".join(distinct)


def coefficient_plot(coef_table: pd.DataFrame, model: str, terms: Sequence[str] | None = None, *,
                     episode: str | None = None,
                     labels: Mapping[str, str] | None = None, title: str | None = None,
                     words: Mapping[str, str] | None = None) -> Figure:
    """Point estimates with 95% CI bars (``ci_low``, ``ci_high``) for the terms of one model.

    ``coef_table`` follows the coefficient-table contract (docs/CONTRACTS.md). ``terms`` picks
    and orders the terms (top to bottom); by default all terms of the model except the
    intercept, in table order. If the model has several rows per term (several episodes), pass
    ``episode``. ``labels`` overrides :func:`readable_term` for given terms. A caption states
    the covariance type, N (and clusters, if any). Terms with a missing estimate or interval are
    listed in the caption rather than dropped silently.

    Artists carry gids: ``points`` (the estimates, one marker per plotted term), ``ci`` (the
    interval bars), ``zero``, ``caption``.
    """
    name = "coefficient table"
    check_columns(coef_table, _REQUIRED, name)
    rows = coef_table.loc[coef_table["model"].astype(str) == str(model)]
    if rows.empty:
        known = ", ".join(sorted(coef_table["model"].astype(str).unique()))
        raise InputError(name, f"no rows for model {model!r}", field="model",
                         expected=f"one of: {known}")
    if episode is not None:
        check_columns(coef_table, ("episode",), name)
        rows = rows.loc[rows["episode"].astype(str) == str(episode)]
        if rows.empty:
            raise InputError(name, f"no rows for model {model!r}, episode {episode!r}",
                             field="episode")
    rows = rows.assign(term=rows["term"].astype(str))
    dup = rows["term"].duplicated(keep=False)
    if dup.any():
        eps = (", ".join(sorted(rows["episode"].astype(str).unique()))
               if "episode" in rows.columns else "?")
        raise InputError(name, f"model {model!r} has several rows for term "
                         f"{rows.loc[dup, 'term'].iloc[0]!r} (episodes: {eps})", field="term",
                         expected="one row per term; pass episode= to choose")
    if terms is None:
        chosen = [t for t in rows["term"] if t.strip().lower() not in INTERCEPTS]
    else:
        chosen = [str(t) for t in terms]
        absent = [t for t in chosen if t not in set(rows["term"])]
        if absent:
            raise InputError(name, f"model {model!r} has no term(s) {', '.join(absent)}",
                             field="term", expected=f"terms of {model!r}")
    if not chosen:
        raise InputError(name, f"model {model!r} has no terms to plot besides the intercept",
                         field="term")
    sel = rows.set_index("term").loc[chosen]
    coef = pd.to_numeric(sel["coef"], errors="coerce").to_numpy(dtype=float)
    lo = pd.to_numeric(sel["ci_low"], errors="coerce").to_numpy(dtype=float)
    hi = pd.to_numeric(sel["ci_high"], errors="coerce").to_numpy(dtype=float)

    ok_point = np.isfinite(coef)
    ok_ci = ok_point & np.isfinite(lo) & np.isfinite(hi)
    n = len(chosen)
    ypos = np.arange(n, 0, -1, dtype=float)  # first term on top
    tick_labels = [(labels or {}).get(t, readable_term(t, words=words)) for t in chosen]

    caption = [f"Model {model}"
               + (f", episode {episode}" if episode is not None else "")
               + ". Points: estimates; bars: 95% confidence intervals.",
               f"Covariance: {_describe(sel['cov_type'])}; N = {_describe(sel['nobs'], _fmt_int)}"
               + (f"; clusters = {_describe(sel['n_clusters'], _fmt_int)}"
                  if "n_clusters" in sel.columns and sel["n_clusters"].notna().any() else "")
               + "."]
    no_est = [t for t, ok in zip(chosen, ok_point) if not ok]
    no_ci = [t for t, okp, okc in zip(chosen, ok_point, ok_ci) if okp and not okc]
    if no_est:
        caption.append("No estimate (not plotted): " + ", ".join(no_est) + ".")
    if no_ci:
        caption.append("No confidence interval (point only): " + ", ".join(no_ci) + ".")

    with figure_style():
        fig = new_figure((6.4, max(2.6, 1.3 + 0.38 * n)))
        ax = fig.add_subplot()
        zero = ax.axvline(0.0, color="#555555", lw=0.8, ls="--", zorder=1)
        zero.set_gid("zero")
        if ok_ci.any():
            bars = ax.hlines(ypos[ok_ci], lo[ok_ci], hi[ok_ci], color="#2c5f8a", lw=1.6,
                             zorder=2)
            bars.set_gid("ci")
        (points,) = ax.plot(coef[ok_point], ypos[ok_point], ls="none", marker="o", ms=5,
                            color="#2c5f8a", zorder=3)
        points.set_gid("points")
        ax.set_yticks(ypos, tick_labels)
        ax.set_ylim(0.4, n + 0.6)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Coefficient (95% CI)")
        if title:
            ax.set_title(title)
        add_note(fig, caption, gid="caption")
    return fig
