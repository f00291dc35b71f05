"""GISCO NUTS GeoJSON: rings per region (oriented), and clear InputErrors on foreign or broken files."""

import numpy as np
import pytest

from resilience.errors import InputError
from resilience.sources.parsers.geo import GEO_PARSERS, parse_geo_file, parse_gisco_geojson, signed_area
from tests.sources.synthetic_gisco import (
    AT12_EXTERIOR_CW, AT12_HOLE, AT13_RING, EL43_EAST, EL43_WEST, collection, write_gisco,
)


def test_regions_rings_and_properties(tmp_path):
    shapes = parse_gisco_geojson(write_gisco(tmp_path / "NUTS_RG_20M_2021_4326_LEVL_2.geojson"))
    assert shapes.level == 2
    assert shapes.codes == ["AT12", "AT13", "EL43", "FRY1"]
    assert shapes.country == {"AT12": "AT", "AT13": "AT", "EL43": "EL", "FRY1": "FR"}
    assert shapes.name["AT12"] == "Niederösterreich"
    # AT12: exterior (given clockwise) turned counter-clockwise, the hole clockwise
    exterior, hole = shapes.rings["AT12"]
    assert exterior.tolist() == AT12_EXTERIOR_CW[::-1]
    assert signed_area(exterior) == pytest.approx(4.0) and signed_area(hole) == pytest.approx(-0.25)
    assert hole.tolist() == AT12_HOLE[::-1]           # AT12_HOLE runs counter-clockwise in the file
    # a Polygon: one ring, already counter-clockwise, kept as given
    assert [r.tolist() for r in shapes.rings["AT13"]] == [AT13_RING]
    # a MultiPolygon of two islands: two exteriors, in file order
    assert [r.tolist() for r in shapes.rings["EL43"]] == [EL43_WEST, EL43_EAST]
    assert signed_area(shapes.rings["EL43"][1]) == pytest.approx(1.3 * 0.4)


def test_registered_with_the_dispatch(tmp_path):
    path = write_gisco(tmp_path / "x.geojson")
    assert GEO_PARSERS["gisco_geojson"] is parse_gisco_geojson
    assert parse_geo_file("gisco_geojson", path).codes == ["AT12", "AT13", "EL43", "FRY1"]
    with pytest.raises(InputError, match="unknown geometry format 'shapefile'.*gisco_geojson"):
        parse_geo_file("shapefile", path)


def test_file_without_crs_member_is_read_as_wgs84(tmp_path):
    doc = collection()
    del doc["crs"]
    assert len(parse_gisco_geojson(write_gisco(tmp_path / "x.geojson", doc)).codes) == 4


def _error(tmp_path, doc=None, raw: bytes | None = None, **kwargs) -> str:
    path = tmp_path / "NUTS_RG_20M_2021_4326_LEVL_2.geojson"
    if raw is not None:
        path.write_bytes(raw)
    else:
        write_gisco(path, doc)
    with pytest.raises(InputError) as info:
        parse_gisco_geojson(path, **kwargs)
    message = str(info.value)
    assert message.startswith(str(path))
    return message


def test_html_page_is_refused(tmp_path):
    message = _error(tmp_path, raw=b"<!DOCTYPE html><html><head><title>Service unavailable</title></head></html>")
    assert "is an HTML page, not data" in message


def test_truncated_file_is_not_json(tmp_path):
    raw = write_gisco(tmp_path / "full.geojson").read_bytes()[:300]
    assert "is not JSON" in _error(tmp_path, raw=raw) and "truncated" in _error(tmp_path, raw=raw)


def test_json_that_is_not_a_feature_collection(tmp_path):
    feature = collection()["features"][0]
    message = _error(tmp_path, feature)
    assert "is not a GeoJSON FeatureCollection (type 'Feature')" in message and "field 'type'" in message
    assert "(type 'list')" in _error(tmp_path, [feature])


def test_missing_nuts_id_names_the_feature(tmp_path):
    doc = collection()
    del doc["features"][2]["properties"]["NUTS_ID"]
    message = _error(tmp_path, doc)
    assert ", row 3, field 'NUTS_ID': feature has no NUTS_ID" in message


def test_wrong_level_names_region_and_level(tmp_path):
    doc = collection()
    doc["features"][1]["properties"].update(NUTS_ID="AT130", LEVL_CODE=3)
    message = _error(tmp_path, doc)
    assert ", row 2, field 'LEVL_CODE': region AT130 is of NUTS level 3, not 2" in message
    assert "_LEVL_2.geojson" in message
    # the same file read as level 3 fails on its first level-2 region
    assert "region AT12 is of NUTS level 2, not 3" in _error(tmp_path, collection(), level=3)


def test_projected_crs_is_refused(tmp_path):
    doc = collection()
    doc["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::3035"
    message = _error(tmp_path, doc)
    assert "field 'crs'" in message and "EPSG::3035" in message and "4326" in message


@pytest.mark.parametrize("geometry, problem", [
    ({"type": "Point", "coordinates": [16.0, 48.0]}, "region AT13 has geometry 'Point'"),
    (None, "region AT13 has geometry None"),
    ({"type": "Polygon", "coordinates": [[[16.0, 48.0], [16.5, 48.0], [16.0, 48.0]]]}, "a ring has 3 positions"),
    ({"type": "Polygon", "coordinates": [[[16.0, 48.0], [16.5, "x"], [16.5, 48.5], [16.0, 48.0]]]},
     "a position is not a pair of numbers"),
    ({"type": "Polygon", "coordinates": [[[16.0, 148.0], [16.5, 48.0], [16.5, 48.5], [16.0, 148.0]]]},
     "outside longitude -180..180, latitude -90..90"),
])
def test_bad_geometry_names_region_and_field(tmp_path, geometry, problem):
    doc = collection()
    doc["features"][1]["geometry"] = geometry
    message = _error(tmp_path, doc)
    assert ", row 2, field '" in message and problem in message


def test_region_listed_twice(tmp_path):
    doc = collection()
    doc["features"].append(doc["features"][0])
    assert "region AT12 appears twice (features 1 and 5)" in _error(tmp_path, doc)


def test_no_features(tmp_path):
    doc = collection()
    doc["features"] = []
    assert "has no features" in _error(tmp_path, doc)


def test_ring_arrays_are_float_pairs(tmp_path):
    shapes = parse_gisco_geojson(write_gisco(tmp_path / "x.geojson"))
    for rings in shapes.rings.values():
        for ring in rings:
            assert ring.dtype == np.float64 and ring.shape[1] == 2 and np.array_equal(ring[0], ring[-1])
