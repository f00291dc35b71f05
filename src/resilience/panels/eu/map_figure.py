"""Map of EU regional resistance: NUTS-2 polygons coloured by the Martin resistance index.

Pure functions of results tables and parsed GISCO polygons (``resilience.sources.parsers.geo``):
:func:`resistance_values` picks one outcome and episode from ``eu_martin.csv`` (through
``resilience.measures.regional.resistance_frame``),
:func:`color_limit` the symmetric colour range, :func:`region_facecolors` the colour of each region
(diverging colormap centred at 0; grey where the region has no value), :func:`resistance_map` draws
one panel per episode in the equal-area ETRS89-LAEA projection (EPSG:3035, :func:`project_shapes`)
over the projected bounding box of a longitude/latitude extent (:func:`projected_extent`), so a
region's area on the page is proportional to its area on the ground, and :func:`map_unavailable` is
the figure written when the polygons could not be had (the text panel has gid ``unavailable``).

In every panel the regions are drawn as one :class:`matplotlib.collections.PathCollection` (gid
``regions``) in the order of ``shapes.codes`` (sorted NUTS codes), one compound path per region
with all its rings, so holes stay holes under matplotlib's non-zero fill rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path
from pyproj import Transformer

from resilience.errors import InputError
from resilience.figures.common import add_note, check_columns, figure_style, new_figure
from resilience.measures.regional import resistance_frame
from resilience.panels.eu.units import to_core
from resilience.sources.parsers.geo import RegionShapes

CMAP = "RdBu"            # red = fell more than its country, blue = held up better
NO_VALUE = "#c8c8c8"
EDGE = "#ffffff"
PANEL_SIZE = (3.6, 4.4)
NO_EXPOSURES = pd.DataFrame(columns=["unit", "episode", "variable", "value"])   # the map needs none
EQUAL_AREA_CRS = "EPSG:3035"   # ETRS89-LAEA Europe, Eurostat's projection for statistical maps
EXTENT_EDGE_POINTS = 64        # per edge of the lon/lat extent: its edges are curves once projected


def resistance_values(martin: pd.DataFrame, outcome: str, episode: str, column: str = "index_pp") -> pd.Series:
    """Region code -> resistance (``column`` of the ``resistance`` phase) of ``outcome`` in ``episode``.

    The rows are those of :func:`resilience.measures.regional.resistance_frame` (the selection the
    EU models and figures use); rows without a value are left out; a region listed twice is an InputError.
    """
    if column not in ("index_pp", "index_ratio"):
        raise InputError("eu_martin", f"no resistance column {column!r}", field=column,
                         expected="index_pp or index_ratio (the columns of measures.regional.resistance_frame)")
    check_columns(martin, ("outcome", "unit", "country", "episode", "phase", "index_pp", "index_ratio"), "eu_martin")
    rows = resistance_frame(to_core(martin), NO_EXPOSURES, outcome, episode).dropna(subset=[column])
    if rows["unit"].duplicated().any():
        unit = rows.loc[rows["unit"].duplicated(), "unit"].iloc[0]
        raise InputError("eu_martin", f"region {unit} has two resistance rows for {outcome}, {episode}",
                         field="unit", expected="one row per outcome x episode x phase x region")
    return pd.Series(rows[column].astype("float64").to_numpy(), index=rows["unit"].astype(str).to_numpy(),
                     name=column).sort_index()


def color_limit(values: Sequence[pd.Series], quantile: float) -> float:
    """The colour scale runs from -L to +L: L = the ``quantile`` of |value| pooled over the panels
    (values beyond it get the end colours); 1.0 when there is no non-zero value."""
    pooled = np.abs(np.concatenate([np.asarray(v, dtype="float64") for v in values])) if values else np.array([])
    pooled = pooled[np.isfinite(pooled)]
    if pooled.size == 0:
        return 1.0
    limit = float(np.quantile(pooled, quantile))
    return limit if limit > 0 else (float(pooled.max()) or 1.0)


def region_facecolors(codes: Sequence[str], values: pd.Series, limit: float, cmap: str = CMAP) -> np.ndarray:
    """RGBA per region in ``codes`` order: ``cmap`` over [-limit, +limit] (0 at its centre, values beyond
    the limit clipped to the end colours); :data:`NO_VALUE` grey where ``values`` has no finite value."""
    norm, colormap = Normalize(-limit, limit, clip=True), colormaps[cmap]
    grey = np.array(to_rgba(NO_VALUE))
    out = np.empty((len(codes), 4))
    for i, code in enumerate(codes):
        value = values.get(code, np.nan)
        out[i] = colormap(norm(value)) if np.isfinite(value) else grey
    return out


def region_path(rings: Sequence[np.ndarray]) -> Path:
    """One compound path of all the region's rings (each closed), for the non-zero fill rule."""
    vertices, codes = [], []
    for ring in rings:
        ring = ring[:-1] if len(ring) > 1 and np.array_equal(ring[0], ring[-1]) else ring
        vertices += [ring, ring[:1]]
        codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY]
    return Path(np.concatenate(vertices), codes)


@lru_cache(maxsize=1)
def _to_equal_area() -> Transformer:
    return Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def lonlat_to_equal_area(lonlat: np.ndarray) -> np.ndarray:
    """(n, 2) longitude/latitude in degrees -> (n, 2) easting/northing in metres, EPSG:3035."""
    lonlat = np.asarray(lonlat, dtype="float64")
    x, y = _to_equal_area().transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([x, y])


def project_shapes(shapes: RegionShapes) -> RegionShapes:
    """The same regions with every ring's vertices in EPSG:3035 (a GISCO ring's vertices are close
    enough that straight lines between the projected vertices stand for the projected edges)."""
    rings = {code: [lonlat_to_equal_area(ring) for ring in region] for code, region in shapes.rings.items()}
    return replace(shapes, rings=rings)


def projected_extent(extent: Sequence[float]) -> tuple[float, float, float, float]:
    """(x_min, x_max, y_min, y_max) in EPSG:3035 of the box bounding the projected outline of the
    longitude/latitude ``extent`` (lon_min, lon_max, lat_min, lat_max), its edges densified."""
    lon_min, lon_max, lat_min, lat_max = extent
    lon, lat = np.linspace(lon_min, lon_max, EXTENT_EDGE_POINTS), np.linspace(lat_min, lat_max, EXTENT_EDGE_POINTS)
    outline = np.concatenate([
        np.column_stack([lon, np.full_like(lon, lat_min)]), np.column_stack([lon, np.full_like(lon, lat_max)]),
        np.column_stack([np.full_like(lat, lon_min), lat]), np.column_stack([np.full_like(lat, lon_max), lat]),
    ])
    xy = lonlat_to_equal_area(outline)
    return float(xy[:, 0].min()), float(xy[:, 0].max()), float(xy[:, 1].min()), float(xy[:, 1].max())


def resistance_map(shapes: RegionShapes, panels: Sequence[tuple[str, pd.Series]], *, limit: float,
                   extent: Sequence[float], title: str, value_label: str, note: Sequence[str] = ()) -> Figure:
    """One map per (panel title, region -> value) pair, sharing one colour scale and colorbar.

    ``shapes`` in longitude/latitude, drawn in EPSG:3035; ``extent`` is (lon_min, lon_max, lat_min,
    lat_max), the frame is its projected bounding box (:func:`projected_extent`) and regions outside
    it are clipped by the axes.
    """
    x_min, x_max, y_min, y_max = projected_extent(extent)
    projected = project_shapes(shapes)
    codes = projected.codes
    paths = [region_path(projected.rings[c]) for c in codes]
    with figure_style():
        fig = new_figure((PANEL_SIZE[0] * max(1, len(panels)), PANEL_SIZE[1]))
        axes = fig.subplots(1, max(1, len(panels)), squeeze=False)[0]
        for ax, (panel_title, values) in zip(axes, panels):
            collection = PathCollection(paths, facecolors=region_facecolors(codes, values, limit),
                                        edgecolors=EDGE, linewidths=0.15)
            collection.set_gid("regions")
            ax.add_collection(collection)
            ax.set_xlim(x_min, x_max)
            ax.set_ylim(y_min, y_max)
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_linewidth(0.4)
                spine.set_color("#999999")
            ax.set_title(panel_title)
        mappable = ScalarMappable(Normalize(-limit, limit), colormaps[CMAP])
        bar = fig.colorbar(mappable, ax=list(axes), orientation="horizontal", extend="both", shrink=0.7,
                           fraction=0.05, pad=0.02)
        bar.set_label(value_label)
        # upper left of the first map: the North Atlantic, never covered by a region in the mainland extent
        axes[0].legend(handles=[Patch(facecolor=NO_VALUE, edgecolor="#999999", linewidth=0.4, label="no value")],
                       loc="upper left", frameon=False)
        fig.suptitle(title)
        add_note(fig, list(note))
    return fig


def map_unavailable(message: str, *, title: str, note: Sequence[str] = ()) -> Figure:
    """The figure written instead of the map when the region polygons are unavailable."""
    with figure_style():
        fig = new_figure((PANEL_SIZE[0] * 2, 2.4))
        ax = fig.add_subplot()
        ax.set_axis_off()
        text = ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, wrap=True)
        text.set_gid("unavailable")
        ax.set_title(title)
        add_note(fig, list(note))
    return fig


__all__ = ["CMAP", "EQUAL_AREA_CRS", "NO_VALUE", "color_limit", "lonlat_to_equal_area", "map_unavailable",
           "project_shapes", "projected_extent", "region_facecolors", "region_path", "resistance_map",
           "resistance_values"]
