"""Shared figure machinery: a fixed style, new figures, notes and deterministic, atomic saving.

Figures are built as :class:`matplotlib.figure.Figure` objects with an Agg canvas attached
directly, never through ``pyplot``: importing this package neither selects a backend nor
registers figures in pyplot's global figure manager. Style settings are applied only inside
:func:`figure_style` (a :func:`matplotlib.rc_context`), so importers' rcParams are untouched.

Determinism (same input -> byte-identical PNG and PDF, in any process):
- every rcParam starts from matplotlib's built-in defaults (a user's ``matplotlibrc`` cannot
  change the output), overridden by :data:`STYLE`;
- fixed figure size (set by each figure function) and fixed dpi (:data:`DPI`);
- one font, DejaVu Sans (shipped with matplotlib), named directly rather than via a family
  fallback list;
- PNG metadata ``{'Software': None}``; PDF metadata without Creator, Producer, CreationDate or
  ModDate; ``svg.hashsalt`` fixed in case SVG is ever written;
- nothing written depends on time, paths, process ids or hash seeds;
- PDF coordinates are written to :data:`PDF_DECIMALS` decimals of a point, not matplotlib's 10 (see
  :func:`_pdf_precision`).
"""

from __future__ import annotations

import contextlib
import io
import os
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from resilience.io import write_bytes
from resilience.errors import InputError

DPI = 150
FONT = "DejaVu Sans"

PNG_METADATA = {"Software": None}
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}

# rcParams that are session settings rather than style (mirrors matplotlib's own style blacklist);
# they are never touched.
_SESSION_KEYS = frozenset({
    "interactive", "backend", "backend_fallback", "webagg.port", "webagg.address",
    "webagg.port_retries", "webagg.open_in_browser", "toolbar", "timezone",
    "figure.max_open_warning", "figure.raise_window", "savefig.directory", "tk.window_focus",
    "docstring.hardcopy", "date.epoch",
})

STYLE: dict[str, object] = {
    "font.family": [FONT],
    "font.sans-serif": [FONT],
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "legend.title_fontsize": 8.0,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.5,
    "axes.unicode_minus": True,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.bbox": "standard",          # never 'tight': the figure size stays fixed
    "figure.facecolor": "white",
    "text.usetex": False,
    "text.hinting": "force_autohint",
    "text.antialiased": True,
    "pdf.fonttype": 42,                  # embed TrueType (subset); text stays selectable
    "pdf.compression": 6,
    "svg.fonttype": "path",
    "svg.hashsalt": "resilience-figures",
}

NOTE_FONTSIZE = 7.0
_NOTE_LINE_INCHES = NOTE_FONTSIZE * 1.35 / 72.0


def _style_rc() -> dict[str, object]:
    rc = {k: v for k, v in mpl.rcParamsDefault.items() if k not in _SESSION_KEYS}
    rc.update(STYLE)
    return rc


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Context in which the pipeline's fixed style is active (restored on exit).

    Starts from matplotlib's built-in defaults (so a user's matplotlibrc cannot change the
    output) and applies :data:`STYLE`. Resetting deprecated rcParams to their defaults is
    intended, so the deprecation warnings this triggers are silenced for that step only.
    """
    with contextlib.ExitStack() as stack:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", mpl.MatplotlibDeprecationWarning)
            stack.enter_context(mpl.rc_context(rc=_style_rc()))
        yield


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A Figure with an Agg canvas and constrained layout; call inside :func:`figure_style`."""
    fig = Figure(figsize=figsize, dpi=DPI, layout=ConstrainedLayoutEngine())
    FigureCanvasAgg(fig)
    return fig


def add_note(fig: Figure, lines: Sequence[str], *, gid: str = "note") -> None:
    """Write small text lines at the bottom of ``fig`` and reserve space for them.

    Long lines are wrapped to the figure width. Does nothing if ``lines`` is empty.
    Each call replaces an earlier note with the same ``gid``.
    """
    for old in [t for t in fig.texts if t.get_gid() == gid]:
        old.remove()
    lines = [str(line) for line in lines if str(line)]
    if not lines:
        return
    width_in, height_in = fig.get_size_inches()
    max_chars = max(40, int(width_in * 72.0 / (0.6 * NOTE_FONTSIZE)) - 4)   # 0.6 em: wide sans glyphs
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, max_chars) or [""])
    text = "\n".join(wrapped)
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=NOTE_FONTSIZE,
             color="#444444", gid=gid)
    reserved = min(0.45, (len(wrapped) * _NOTE_LINE_INCHES + 0.08) / height_in)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0.0, reserved, 1.0, 1.0 - reserved))
    else:
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, reserved + 0.08))


# A millionth of a point: far below what a reader or printer resolves.
PDF_DECIMALS = 6


@contextlib.contextmanager
def _pdf_precision() -> Iterator[None]:
    """matplotlib's PDF writer with every number rounded to :data:`PDF_DECIMALS` decimals.

    The transforms that place each mark differ between processes in the last bits of a double (numpy's
    kernels take alignment-dependent paths), and at matplotlib's 10 decimals that now and then reaches a
    written digit: the same figure from the same data gave one of two files. The writer's number format
    is one module-level function, which its own methods look up by name at each call, so it is swapped
    for this block only.
    """
    from matplotlib.backends import backend_pdf

    original = backend_pdf.pdfRepr

    def rounded(obj):
        if isinstance(obj, (float, np.floating)) and np.isfinite(obj):
            obj = round(float(obj), PDF_DECIMALS)
        return original(obj)

    backend_pdf.pdfRepr = rounded
    try:
        yield
    finally:
        backend_pdf.pdfRepr = original


def _render(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    metadata = PNG_METADATA if fmt == "png" else PDF_METADATA
    precision = _pdf_precision() if fmt == "pdf" else contextlib.nullcontext()
    with figure_style(), precision:
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=dict(metadata))
    return buf.getvalue()


def save_figure(fig: Figure, png_path: str | os.PathLike | None,
                pdf_path: str | os.PathLike | None) -> None:
    """Save ``fig`` as PNG and PDF with deterministic bytes, atomically.

    Both files are rendered in memory first; only when both renderings succeed is each written
    to a temporary file beside its target and renamed over it. If rendering fails, no file is
    created or changed. Either path may be None to skip that format. The file contents do not
    depend on the paths (no names, times or paths are embedded).
    """
    targets = [(fmt, Path(p)) for fmt, p in (("png", png_path), ("pdf", pdf_path))
               if p is not None]
    if not targets:
        raise ValueError("save_figure: give at least one of png_path, pdf_path")
    rendered = [(path, _render(fig, fmt)) for fmt, path in targets]
    for path, data in rendered:
        write_bytes(data, path)


def check_columns(frame: pd.DataFrame, required: Sequence[str], name: str) -> None:
    """Raise :class:`InputError` if ``frame`` lacks any of ``required`` columns."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(name, f"missing column(s) {', '.join(missing)}",
                         field=missing[0], expected=f"columns {', '.join(required)}")


def long_levels(levels: pd.DataFrame, name: str = "levels") -> pd.DataFrame:
    """Validated copy of a long ``[iso3, year, value]`` table, sorted by iso3 and year.

    ``iso3`` becomes str, ``year`` int and ``value`` float; rows with a missing ``iso3`` or
    ``year`` are an error, as is more than one row per iso3 x year.
    """
    check_columns(levels, ("iso3", "year", "value"), name)
    out = levels.loc[:, ["iso3", "year", "value"]].copy()
    if out["iso3"].isna().any():
        raise InputError(name, "empty iso3", field="iso3", expected="an ISO3 code in every row")
    year = pd.to_numeric(out["year"], errors="coerce")
    if year.isna().any() or (year != year.round()).any():
        raise InputError(name, "non-integer year", field="year", expected="integer years")
    value = pd.to_numeric(out["value"], errors="coerce")
    if (value.isna() & out["value"].notna()).any():
        raise InputError(name, "non-numeric value", field="value", expected="numbers or NaN")
    out["iso3"] = out["iso3"].astype(str)
    out["year"] = year.astype("int64")
    out["value"] = value.astype("float64")
    dup = out.duplicated(["iso3", "year"], keep=False)
    if dup.any():
        first = out.loc[dup].sort_values(["iso3", "year"]).iloc[0]
        raise InputError(name, f"more than one row for {first['iso3']} {first['year']}",
                         field="iso3, year", expected="one row per iso3 x year")
    return out.sort_values(["iso3", "year"], kind="mergesort").reset_index(drop=True)
