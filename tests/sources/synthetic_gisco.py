"""A small GISCO NUTS region file in the published structure (NUTS_RG_<scale>_<year>_4326_LEVL_2.geojson).

As served by https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/: a FeatureCollection
with the GeoJSON 2008 ``crs`` member naming EPSG:4326, one Feature per region with a Polygon or
MultiPolygon geometry, the properties NUTS_ID, LEVL_CODE, CNTR_CODE, NAME_LATN, NUTS_NAME, MOUNT_TYPE,
URBN_TYPE, COAST_TYPE, FID, and the feature ``id`` equal to NUTS_ID. Coordinates are invented squares.

Regions:
- AT12 (Niederösterreich): a MultiPolygon of one polygon whose exterior runs *clockwise* (the parser
  must turn it counter-clockwise) with a hole where AT13 lies;
- AT13 (Wien): a Polygon filling that hole;
- EL43 (Kriti): a MultiPolygon of two islands;
- FRY1 (Guadeloupe): an outermost region far outside the mainland extent.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}

AT12_EXTERIOR_CW = [[15.0, 47.0], [15.0, 49.0], [17.0, 49.0], [17.0, 47.0], [15.0, 47.0]]
AT12_HOLE = [[16.0, 48.0], [16.5, 48.0], [16.5, 48.5], [16.0, 48.5], [16.0, 48.0]]
AT13_RING = [[16.0, 48.0], [16.5, 48.0], [16.5, 48.5], [16.0, 48.5], [16.0, 48.0]]
EL43_WEST = [[23.5, 35.0], [24.5, 35.0], [24.5, 35.6], [23.5, 35.6], [23.5, 35.0]]
EL43_EAST = [[25.0, 35.0], [26.3, 35.0], [26.3, 35.4], [25.0, 35.4], [25.0, 35.0]]
FRY1_RING = [[-61.8, 15.9], [-61.0, 15.9], [-61.0, 16.5], [-61.8, 16.5], [-61.8, 15.9]]


def _feature(code: str, name: str, geometry: dict, *, level: int = 2, mount=4, urbn=2, coast=3) -> dict:
    return {"type": "Feature", "geometry": geometry,
            "properties": {"NUTS_ID": code, "LEVL_CODE": level, "CNTR_CODE": code[:2], "NAME_LATN": name,
                           "NUTS_NAME": name, "MOUNT_TYPE": mount, "URBN_TYPE": urbn, "COAST_TYPE": coast,
                           "FID": code},
            "id": code}


def collection() -> dict:
    """The FeatureCollection (a fresh copy, safe to edit in a test)."""
    features = [
        _feature("AT12", "Niederösterreich", {"type": "MultiPolygon", "coordinates": [[AT12_EXTERIOR_CW, AT12_HOLE]]}),
        _feature("AT13", "Wien", {"type": "Polygon", "coordinates": [AT13_RING]}, urbn=1),
        _feature("EL43", "Kriti", {"type": "MultiPolygon", "coordinates": [[EL43_WEST], [EL43_EAST]]}, coast=1),
        _feature("FRY1", "Guadeloupe", {"type": "MultiPolygon", "coordinates": [[FRY1_RING]]}, mount=None, coast=1),
    ]
    return copy.deepcopy({"type": "FeatureCollection", "crs": CRS, "features": features})


def write_gisco(path, doc: dict | None = None) -> Path:
    """Write ``doc`` (default :func:`collection`) as GISCO does: compact UTF-8 JSON on one line."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc if doc is not None else collection(), ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
    return path
