"""The map of EU regional resistance: GISCO polygons from the raw layer, and the map's status table.

The polygons are an optional source (config ``sources.optional``), obtained like every other raw file
(``data/raw/<dataset>/manifest.json``). When the manifest says the dataset is unavailable (the offline
mirror has no GISCO file) :func:`shapes_from_raw` returns no shapes, nothing is drawn in their place,
and the status table and the report section say that the map needs the live GISCO file - the same
mechanism as the value-chain analysis (``resilience.context.gvc.analysis``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.sources.raw import raw_file
from resilience.context.gvc.analysis import STATUS_COLUMNS, status_table
from resilience.errors import InputError
from resilience.sources.parsers.geo import GEO_PARSERS, RegionShapes, parse_geo_file

NEEDS_LIVE = "needs the live GISCO file"
MAP_STATUS_COLUMNS = STATUS_COLUMNS + ["outcome", "episode", "regions_with_value", "regions_coloured", "regions_grey",
                                       "values_without_polygon", "color_limit_pp", "codes_without_polygon"]


def shapes_from_raw(raw_dir, level: int = 2) -> tuple[RegionShapes | None, dict]:
    """(the region polygons, or None when the dataset is unavailable; the download manifest)."""
    path, manifest = raw_file(raw_dir)
    if path is None:
        return None, manifest
    if manifest["format"] not in GEO_PARSERS:
        raise InputError(path, f"format {manifest['format']!r} cannot be read as region polygons", field="format",
                         expected=f"one of {sorted(GEO_PARSERS)}")
    return parse_geo_file(manifest["format"], path, level=level), manifest


def map_status(manifest: dict, shapes: RegionShapes | None, panels: dict[str, pd.Series], *, outcome: str,
               limit: float | None) -> pd.DataFrame:
    """One row per episode: the source's download status and, when drawn, how many regions got a colour,
    how many polygons stayed grey (no value) and which regions with a value have no polygon (a NUTS
    version other than the polygons', or a country the file does not cover)."""
    source = status_table({manifest.get("dataset") or "": manifest}).iloc[0].to_dict()
    rows = []
    for episode, values in panels.items():
        values = values[np.isfinite(values.to_numpy(dtype="float64"))]
        row = {**source, "outcome": outcome, "episode": episode, "regions_with_value": len(values)}
        if shapes is not None:
            drawn = set(shapes.codes)
            missing = sorted(set(values.index) - drawn)
            row.update(regions_coloured=len(drawn & set(values.index)), regions_grey=len(drawn - set(values.index)),
                       values_without_polygon=len(missing), color_limit_pp=limit,
                       codes_without_polygon=" ".join(missing))
        rows.append(row)
    table = pd.DataFrame(rows, columns=MAP_STATUS_COLUMNS)
    for column in ("regions_coloured", "regions_grey", "values_without_polygon"):
        table[column] = table[column].astype("Int64")
    return table


__all__ = ["MAP_STATUS_COLUMNS", "NEEDS_LIVE", "map_status", "shapes_from_raw"]
