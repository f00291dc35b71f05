"""Region polygons from Eurostat GISCO: the NUTS GeoJSON files of the distribution service.

GISCO publishes each NUTS version as ``NUTS_RG_<scale>_<version>_<epsg>_LEVL_<level>.geojson`` under
https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/ (RG = region polygons). Each file is
a GeoJSON ``FeatureCollection`` with a ``crs`` member (``urn:ogc:def:crs:EPSG::4326`` for the WGS84
files) and one ``Feature`` per region: ``geometry`` a ``Polygon`` or ``MultiPolygon`` (islands, exclaves)
and ``properties`` ``NUTS_ID``, ``LEVL_CODE`` (0-3), ``CNTR_CODE``, ``NAME_LATN``, ``NUTS_NAME``,
``MOUNT_TYPE``, ``URBN_TYPE``, ``COAST_TYPE``, ``FID``.

:func:`parse_gisco_geojson` reads it into :class:`RegionShapes`: region code -> list of rings, each an
``(n, 2)`` array of (longitude, latitude) with exteriors counter-clockwise and holes clockwise (the
orientation RFC 7946 asks for, enforced here because older files need not follow it), so a
matplotlib path built from all of a region's rings draws the holes (Vienna inside Lower Austria,
Berlin inside Brandenburg) as holes under the non-zero fill rule. No geopandas: plain ``json``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from resilience.errors import InputError
from resilience.sources.parsers._common import decode_text, dispatch, read_bytes, reject_html

WGS84_NAMES = {"urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84"}
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class RegionShapes:
    """Polygons of one NUTS level: ``rings[code]`` lists the region's rings (exteriors CCW, holes CW)."""

    level: int
    rings: dict[str, list[np.ndarray]]
    country: dict[str, str] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return sorted(self.rings)


def parse_gisco_geojson(path, *, level: int = 2) -> RegionShapes:
    """Read a GISCO NUTS region file (WGS84) of NUTS level ``level``.

    InputError (naming the file, the feature and the field) for: an HTML page or non-JSON bytes, JSON
    that is not a FeatureCollection, a CRS other than WGS84, a feature without ``NUTS_ID``, a feature
    of another level, a geometry other than Polygon/MultiPolygon, a ring with fewer than 4 positions
    or positions that are not (longitude, latitude) numbers, a region listed twice, no features.
    """
    data = read_bytes(path)
    reject_html(path, data)
    text = decode_text(path, data)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
                         "it may be truncated", expected="a GeoJSON FeatureCollection") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(path, f"is not a GeoJSON FeatureCollection (type {found!r})", field="type",
                         expected="'FeatureCollection' with a 'features' list")
    _check_crs(path, doc.get("crs"))
    if not doc["features"]:
        raise InputError(path, "has no features", field="features", expected=f"one feature per NUTS {level} region")
    rings, country, name = {}, {}, {}
    for number, feature in enumerate(doc["features"], start=1):
        code, props = _feature_code(path, number, feature, level)
        if code in rings:
            raise InputError(path, f"region {code} appears twice (features {rings[code][0]} and {number})",
                             row=number, field="NUTS_ID", expected="one feature per region")
        rings[code] = (number, _feature_rings(path, number, code, feature.get("geometry")))
        country[code] = str(props.get("CNTR_CODE") or code[:2])
        name[code] = str(props.get("NAME_LATN") or props.get("NUTS_NAME") or "")
    return RegionShapes(level=level, rings={c: r for c, (_, r) in sorted(rings.items())},
                        country=dict(sorted(country.items())), name=dict(sorted(name.items())))


def _check_crs(path, crs) -> None:
    """GISCO names the CRS in the old GeoJSON 2008 ``crs`` member; absent means WGS84 (RFC 7946)."""
    if crs is None:
        return
    crs_name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if crs_name not in WGS84_NAMES:
        raise InputError(path, f"coordinates are in {crs_name or crs!r}, not longitude/latitude", field="crs",
                         expected="the EPSG:4326 file (NUTS_RG_<scale>_<version>_4326_LEVL_<level>.geojson)")


def _feature_code(path, number: int, feature, level: int) -> tuple[str, dict]:
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        raise InputError(path, "feature has no properties", row=number, field="properties",
                         expected="GISCO properties NUTS_ID, LEVL_CODE, CNTR_CODE")
    code = props.get("NUTS_ID")
    if not isinstance(code, str) or not code.strip():
        raise InputError(path, f"feature has no NUTS_ID (properties: {sorted(props)})", row=number,
                         field="NUTS_ID", expected="a NUTS region code such as 'AT11'")
    code = code.strip()
    found = props.get("LEVL_CODE")
    if found is None or str(found).strip() != str(level):
        raise InputError(path, f"region {code} is of NUTS level {found!r}, not {level}", row=number,
                         field="LEVL_CODE", expected=f"the NUTS {level} file (..._LEVL_{level}.geojson), "
                         f"only LEVL_CODE {level}")
    return code, props


def _feature_rings(path, number: int, code: str, geometry) -> list[np.ndarray]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in GEOMETRY_TYPES:
        raise InputError(path, f"region {code} has geometry {kind or geometry!r}", row=number, field="geometry",
                         expected="a Polygon or MultiPolygon")
    polygons = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        raise InputError(path, f"region {code}: {kind} without coordinates", row=number, field="coordinates",
                         expected=f"the nested coordinate lists of a {kind}")
    out = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise InputError(path, f"region {code}: a polygon without rings", row=number, field="coordinates",
                             expected="an exterior ring and optional holes")
        for index, ring in enumerate(polygon):
            out.append(_oriented(_ring(path, number, code, ring), exterior=index == 0))
    return out


def _ring(path, number: int, code: str, ring) -> np.ndarray:
    def bad(problem: str) -> InputError:
        return InputError(path, f"region {code}: {problem}", row=number, field="coordinates",
                          expected="closed rings of at least 4 [longitude, latitude] positions")
    if not isinstance(ring, list) or len(ring) < 4:
        raise bad(f"a ring has {len(ring) if isinstance(ring, list) else 0} positions")
    try:
        points = np.array([[float(p[0]), float(p[1])] for p in ring], dtype="float64")
    except (TypeError, ValueError, IndexError) as exc:
        raise bad(f"a position is not a pair of numbers ({exc})") from exc
    if not np.isfinite(points).all() or (np.abs(points[:, 0]) > 180).any() or (np.abs(points[:, 1]) > 90).any():
        raise bad("a position lies outside longitude -180..180, latitude -90..90")
    return points


def signed_area(ring: np.ndarray) -> float:
    """Shoelace area of a ring: positive when its vertices run counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _oriented(ring: np.ndarray, *, exterior: bool) -> np.ndarray:
    area = signed_area(ring)
    if math.isclose(area, 0.0):
        return ring
    return ring if (area > 0) == exterior else ring[::-1].copy()


GEO_PARSERS: dict[str, Callable[..., RegionShapes]] = {
    "gisco_geojson": parse_gisco_geojson,
}


def parse_geo_file(format_name: str, path, **kwargs) -> RegionShapes:
    """Parse a region-geometry file with the parser registered for its catalog format."""
    return dispatch(GEO_PARSERS, "geometry", format_name, path, **kwargs)


__all__ = ["GEO_PARSERS", "RegionShapes", "parse_geo_file", "parse_gisco_geojson", "signed_area"]
