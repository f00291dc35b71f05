"""Map of EU regional resistance: values picked from eu_martin, colour per region, extent, determinism."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from resilience.errors import InputError
from resilience.figures.common import save_figure
from resilience.panels.eu.map_figure import (
    NO_VALUE, color_limit, lonlat_to_equal_area, project_shapes, projected_extent, map_unavailable, region_facecolors, region_path, resistance_map, resistance_values,
)
from resilience.sources.parsers.geo import parse_gisco_geojson, signed_area
from tests.sources.synthetic_gisco import collection, write_gisco

EXTENT = [-11.0, 35.0, 34.0, 71.5]
RDBU = colormaps["RdBu"]


def martin() -> pd.DataFrame:
    rows = [("industry_employment", "AT12", "gfc", "resistance", 2.0),
            ("industry_employment", "AT13", "gfc", "resistance", -4.0),
            ("industry_employment", "EL43", "gfc", "resistance", np.nan),      # no value -> grey
            ("industry_employment", "AT12", "gfc", "recovery", 9.0),           # other phase
            ("manufacturing_gva", "AT12", "gfc", "resistance", 7.0),           # other outcome
            ("industry_employment", "AT12", "covid", "resistance", 1.0),
            ("industry_employment", "UKC1", "covid", "resistance", -1.0)]      # no polygon
    frame = pd.DataFrame(rows, columns=["outcome", "unit", "episode", "phase", "index_pp"])
    return frame.assign(country="x", index_ratio=frame["index_pp"] / 10)


@pytest.fixture
def shapes(tmp_path):
    return parse_gisco_geojson(write_gisco(tmp_path / "NUTS_RG_20M_2021_4326_LEVL_2.geojson"))


def test_resistance_values_pick_outcome_episode_and_phase():
    gfc = resistance_values(martin(), "industry_employment", "gfc")
    assert gfc.to_dict() == {"AT12": 2.0, "AT13": -4.0}
    assert resistance_values(martin(), "industry_employment", "covid").to_dict() == {"AT12": 1.0, "UKC1": -1.0}
    with pytest.raises(InputError, match="field 'index_pp'"):
        resistance_values(martin().drop(columns="index_pp"), "industry_employment", "gfc")
    twice = pd.concat([martin(), martin().iloc[[0]]])
    with pytest.raises(InputError, match="region AT12 has two resistance rows"):
        resistance_values(twice, "industry_employment", "gfc")
    assert resistance_values(martin(), "industry_employment", "gfc", "index_ratio").to_dict() == {
        "AT12": 0.2, "AT13": -0.4}


def test_resistance_values_select_through_eu_measures(monkeypatch):
    """The row selection is resilience.measures.regional.resistance_frame's, not a second copy of it."""
    from resilience.panels.eu import map_figure as eu_map
    calls = []

    def fake(martin, exposures, outcome, episode):
        calls.append((outcome, episode, len(exposures)))
        return pd.DataFrame({"unit": ["ZZ01"], "country": ["ZZ"], "index_pp": [7.5], "index_ratio": [0.5]})

    monkeypatch.setattr(eu_map, "resistance_frame", fake)
    assert resistance_values(martin(), "industry_employment", "gfc").to_dict() == {"ZZ01": 7.5}
    assert calls == [("industry_employment", "gfc", 0)]


def test_color_limit_is_a_quantile_of_absolute_values():
    values = [pd.Series([1.0, -2.0]), pd.Series([3.0, -4.0, np.nan])]
    assert color_limit(values, 0.5) == pytest.approx(2.5)        # median of 1, 2, 3, 4
    assert color_limit(values, 1.0) == pytest.approx(4.0)
    assert color_limit(values, 0.75) == pytest.approx(3.25)      # numpy's linear interpolation: 3 + 0.25
    assert color_limit([pd.Series([], dtype=float)], 0.95) == 1.0
    assert color_limit([pd.Series([0.0, 0.0])], 0.95) == 1.0


def test_facecolors_diverge_around_zero_and_grey_without_value():
    values = pd.Series({"A": 2.0, "B": -4.0, "C": 0.0, "D": 10.0})
    colors = region_facecolors(["A", "B", "C", "D", "E"], values, limit=4.0)
    assert np.allclose(colors[0], RDBU(0.75))     # (2 + 4) / 8: blue side
    assert np.allclose(colors[1], RDBU(0.0))      # -4 = -limit: the red end
    assert np.allclose(colors[2], RDBU(0.5))      # 0 sits at the centre
    assert np.allclose(colors[3], RDBU(1.0))      # beyond the limit: clipped to the blue end
    assert np.allclose(colors[4], to_rgba(NO_VALUE))


def _render(path) -> np.ndarray:
    """RGBA pixels of one red path over lon 15-17, lat 47-49 (100 pixels per degree, row 0 at lat 49)."""
    fig = Figure(figsize=(2, 2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(15, 17)
    ax.set_ylim(47, 49)
    ax.set_axis_off()
    ax.add_collection(PathCollection([path], facecolors=["red"], edgecolors="none"))
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


RED, WHITE = [255, 0, 0, 255], [255, 255, 255, 255]
EXTERIOR_CCW = [[15.0, 47.0], [17.0, 47.0], [17.0, 49.0], [15.0, 49.0], [15.0, 47.0]]
HOLE_CCW = [[16.0, 48.0], [16.5, 48.0], [16.5, 48.5], [16.0, 48.5], [16.0, 48.0]]


@pytest.mark.parametrize("clockwise", [True, False], ids=["both_rings_clockwise", "both_rings_counter_clockwise"])
def test_region_path_keeps_holes_as_holes(tmp_path, clockwise):
    """AT12's exterior and its hole (where AT13 lies) written with the SAME orientation (both clockwise:
    the exterior must be turned; both counter-clockwise: the hole must be turned). As written, the
    non-zero fill rule paints the hole; after the parser orients the rings it stays unpainted."""
    exterior, hole = (EXTERIOR_CCW[::-1], HOLE_CCW[::-1]) if clockwise else (EXTERIOR_CCW, HOLE_CCW)
    doc = collection()
    at12 = next(f for f in doc["features"] if f["id"] == "AT12")
    at12["geometry"] = {"type": "MultiPolygon", "coordinates": [[exterior, hole]]}
    as_written = [np.array(exterior), np.array(hole)]
    assert np.sign(signed_area(as_written[0])) == np.sign(signed_area(as_written[1]))
    assert _render(region_path(as_written))[75, 112].tolist() == RED      # the geometry does test something
    rings = parse_gisco_geojson(write_gisco(tmp_path / "NUTS_RG_20M_2021_4326_LEVL_2.geojson", doc)).rings["AT12"]
    assert signed_area(rings[0]) > 0 > signed_area(rings[1])                # exterior CCW, hole CW
    pixels = _render(region_path(rings))
    assert pixels[150, 50].tolist() == RED     # lon 15.5, lat 47.5: inside Lower Austria
    assert pixels[75, 112].tolist() == WHITE   # lon 16.12, lat 48.25: the hole, Vienna


def test_map_colours_each_region_from_its_value(shapes):
    gfc = resistance_values(martin(), "industry_employment", "gfc")
    covid = resistance_values(martin(), "industry_employment", "covid")
    fig = resistance_map(shapes, [("GFC", gfc), ("COVID", covid)], limit=4.0, extent=EXTENT, title="t",
                         value_label="pp", note=["source"])
    panels = [a for a in fig.findobj() if a.get_gid() == "regions"]
    assert len(panels) == 2
    codes = shapes.codes                                        # AT12, AT13, EL43, FRY1
    gfc_colors, covid_colors = (p.get_facecolors() for p in panels)
    assert np.allclose(gfc_colors[codes.index("AT12")], RDBU(0.75))      # +2 of +-4
    assert np.allclose(gfc_colors[codes.index("AT13")], RDBU(0.0))       # -4
    assert np.allclose(gfc_colors[codes.index("EL43")], to_rgba(NO_VALUE))
    assert np.allclose(covid_colors[codes.index("AT12")], RDBU(0.625))   # +1
    assert np.allclose(covid_colors[codes.index("AT13")], to_rgba(NO_VALUE))
    for ax in fig.axes[:2]:   # the frame: the extent's bounding box in EPSG:3035, equal scales
        assert ax.get_xlim() == pytest.approx(projected_extent(EXTENT)[:2])
        assert ax.get_ylim() == pytest.approx(projected_extent(EXTENT)[2:])
        assert ax.get_aspect() == 1.0
    assert [ax.get_title() for ax in fig.axes[:2]] == ["GFC", "COVID"]
    colorbar = fig.axes[2]
    assert colorbar.get_xlim() == pytest.approx((-4.0, 4.0)) and colorbar.get_xlabel() == "pp"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["no value"]


def test_map_bytes_are_deterministic(shapes, tmp_path):
    gfc = resistance_values(martin(), "industry_employment", "gfc")
    for name in ("a", "b"):
        save_figure(resistance_map(shapes, [("GFC", gfc)], limit=4.0, extent=EXTENT, title="t", value_label="pp"),
                    tmp_path / f"{name}.png", tmp_path / f"{name}.pdf")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_unavailable_map_says_so():
    fig = map_unavailable("Map not drawn: it needs the live GISCO file", title="t")
    texts = [a for a in fig.findobj() if a.get_gid() == "unavailable"]
    assert len(texts) == 1 and "needs the live GISCO file" in texts[0].get_text()
    assert not [a for a in fig.findobj() if a.get_gid() == "regions"]


def test_equal_area_projection_matches_known_epsg_3035_coordinates():
    """The projection centre (52N, 10E) is the false origin (4321000, 3210000); 50N 5E is the worked
    example of EPSG Guidance Note 7-2 for ETRS89-LAEA (3962799.45 E, 2999718.85 N)."""
    xy = lonlat_to_equal_area(np.array([[10.0, 52.0], [5.0, 50.0]]))
    assert xy[0] == pytest.approx([4321000.0, 3210000.0], abs=0.01)
    assert xy[1] == pytest.approx([3962799.45, 2999718.85], abs=0.01)


def _cell(lon: float, lat: float, per_edge: int = 50) -> np.ndarray:
    """A 1 x 1 degree lon/lat cell as a closed counter-clockwise ring, its edges densified."""
    t = np.linspace(0.0, 1.0, per_edge, endpoint=False)
    edges = [np.column_stack([lon + t, np.full_like(t, lat)]), np.column_stack([np.full_like(t, lon + 1), lat + t]),
             np.column_stack([lon + 1 - t, np.full_like(t, lat + 1)]), np.column_stack([np.full_like(t, lon), lat + 1 - t])]
    ring = np.concatenate(edges)
    return np.vstack([ring, ring[:1]])


def test_projected_areas_are_proportional_to_areas_on_the_ground(shapes):
    """A 1-degree cell at 40N covers (sin 41 - sin 40) / (sin 61 - sin 60) = 1.544 times the ground of
    one at 60N (on the sphere; the GRS80 ellipsoid differs by well under 1%): the equal-area map keeps
    that ratio, where a longitude/latitude plot would draw both cells the same size."""
    projected = project_shapes(replace(shapes, rings={"S": [_cell(10.0, 40.0)], "N": [_cell(10.0, 60.0)]}))
    south, north = signed_area(projected.rings["S"][0]), signed_area(projected.rings["N"][0])
    expected = (np.sin(np.radians(41)) - np.sin(np.radians(40))) / (np.sin(np.radians(61)) - np.sin(np.radians(60)))
    assert south / north == pytest.approx(expected, rel=0.01)
    assert south == pytest.approx(2 * np.pi * 6371007.2**2 / 360 * (np.sin(np.radians(41)) - np.sin(np.radians(40))),
                                  rel=0.01)   # the authalic sphere's cell area, m^2
    assert projected.codes == ["N", "S"] and shapes.rings != projected.rings
