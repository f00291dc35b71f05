"""Country panel: source choice by preference, provenance, balanced grid, flags, coverage.

Hand-made tidy tables (iso3, entity, year, series, value, source, vintage, flags):

ds_a  unavailable (manifest status 'unavailable'); empty tidy table
ds_b  ok, vintage 'b-2024':
        AAA 1999 B.OUT   9   ''      (before the configured years 2000-2002)
        AAA 2000 B.OUT  10   ''
        AAA 2001 B.OUT NaN   ''      (empty cell: not data)
        AAA 2002 B.OUT  12   'e'
        BBB 2000 B.OUT  20   ''
        BBB 2001 B.OUT  21   ''
        WLD 2000 B.OUT 100   ''      aggregate
        WLD 2000 AGG.ONLY 5  ''      aggregate only: 'no data'
ds_c  ok, vintage 'c-2023':
        AAA 2000 C.OUT   1 ; CCC 2001 C.OUT 3
        AAA 2000 C.GDP  50 ; CCC 2002 C.GDP 70 'x'

Series (sources in order of preference):
    out: ds_a A.OUT, ds_b B.OUT, ds_c C.OUT -> unavailable, used, not needed
    gdp: ds_b NOPE, ds_c C.GDP              -> no data, used
    agg: ds_b AGG.ONLY                      -> no data (aggregates are not economies)
    pop: ds_a A.POP                         -> unavailable (series absent from the panel)
"""

import math

import numpy as np
import pandas as pd
import pytest

from resilience.panels.countries.build import (FLAGS_SUFFIX, PROVENANCE_COLUMNS, build_panel, choose_series,
                              combine_unmatched, coverage, series_columns)

TIDY_COLUMNS = ["iso3", "entity", "year", "series", "value", "source", "vintage", "flags"]
YEARS = {"start": 2000, "end": 2002}


def tidy(dataset, vintage, rows):
    frame = pd.DataFrame(rows, columns=["iso3", "entity", "year", "series", "value", "flags"])
    frame = frame.assign(source=dataset, vintage=vintage)[TIDY_COLUMNS]
    return frame.astype({"year": "int64", "value": "float64"})


@pytest.fixture
def tables():
    return {
        "ds_a": tidy("ds_a", "", []),
        "ds_b": tidy("ds_b", "b-2024", [
            ("AAA", "economy", 1999, "B.OUT", 9.0, ""),
            ("AAA", "economy", 2000, "B.OUT", 10.0, ""),
            ("AAA", "economy", 2001, "B.OUT", np.nan, ""),
            ("AAA", "economy", 2002, "B.OUT", 12.0, "e"),
            ("BBB", "economy", 2000, "B.OUT", 20.0, ""),
            ("BBB", "economy", 2001, "B.OUT", 21.0, ""),
            ("WLD", "aggregate", 2000, "B.OUT", 100.0, ""),
            ("WLD", "aggregate", 2000, "AGG.ONLY", 5.0, ""),
        ]),
        "ds_c": tidy("ds_c", "c-2023", [
            ("AAA", "economy", 2000, "C.OUT", 1.0, ""),
            ("CCC", "economy", 2001, "C.OUT", 3.0, ""),
            ("AAA", "economy", 2000, "C.GDP", 50.0, ""),
            ("CCC", "economy", 2002, "C.GDP", 70.0, "x"),
        ]),
    }


@pytest.fixture
def manifests():
    return {
        "ds_a": {"dataset": "ds_a", "status": "unavailable", "mode": "mirror", "file": "", "sha256": "",
                 "url": "https://a.example/a.csv", "mirror_path": "a/a.csv",
                 "message": "a/a.csv is not in the mirror; free text of the download job"},
        "ds_b": {"dataset": "ds_b", "status": "ok", "mode": "live", "file": "b.csv", "sha256": "sha-b",
                 "url": "https://b.example/b.csv", "message": ""},
        "ds_c": {"dataset": "ds_c", "status": "ok", "mode": "mirror", "file": "c.xlsx", "sha256": "sha-c",
                 "url": "https://c.example/c.xlsx", "message": ""},
    }


SERIES = {
    "out": {"label": "Output", "sources": [{"dataset": "ds_a", "code": "A.OUT"},
                                           {"dataset": "ds_b", "code": "B.OUT"},
                                           {"dataset": "ds_c", "code": "C.OUT"}]},
    "gdp": {"label": "GDP", "sources": [{"dataset": "ds_b", "code": "NOPE"},
                                        {"dataset": "ds_c", "code": "C.GDP"}]},
    "agg": {"label": "Aggregate only", "sources": [{"dataset": "ds_b", "code": "AGG.ONLY"}]},
    "pop": {"label": "Population", "sources": [{"dataset": "ds_a", "code": "A.POP"}]},
}


@pytest.fixture
def built(tables, manifests):
    return build_panel(tables, manifests, SERIES, YEARS)


def test_first_available_source_with_data_is_used(tables, manifests):
    rows, records = choose_series("out", SERIES["out"], tables, manifests, YEARS)
    # ds_b's economy rows with a value in 2000-2002: AAA 2000, 2002 and BBB 2000, 2001
    # (not WLD, not the NaN, not AAA 1999 outside the configured years)
    assert sorted(zip(rows["iso3"], rows["year"], rows["value"])) == [
        ("AAA", 2000, 10.0), ("AAA", 2002, 12.0), ("BBB", 2000, 20.0), ("BBB", 2001, 21.0)]
    assert [(r["rank"], r["dataset"], r["status"]) for r in records] == [
        (1, "ds_a", "unavailable"), (2, "ds_b", "used"), (3, "ds_c", "not needed")]


def test_provenance_records_every_candidate(built):
    _, prov = built
    assert list(prov.columns) == PROVENANCE_COLUMNS
    assert list(zip(prov["series"], prov["rank"], prov["dataset"], prov["status"])) == [
        ("out", 1, "ds_a", "unavailable"),
        ("out", 2, "ds_b", "used"),
        ("out", 3, "ds_c", "not needed"),
        ("gdp", 1, "ds_b", "no data"),
        ("gdp", 2, "ds_c", "used"),
        ("agg", 1, "ds_b", "no data"),
        ("pop", 1, "ds_a", "unavailable"),
    ]
    by = prov.set_index(["series", "dataset"])
    unavailable = by.loc[("out", "ds_a")]
    # rebuilt from the manifest's fields, not copied from the download job's free text
    assert unavailable["message"] == "not in the mirror (a/a.csv); live source: https://a.example/a.csv"
    assert unavailable["mode"] == "mirror" and unavailable["url"] == "https://a.example/a.csv"
    assert unavailable["n_economies"] == 0 and unavailable["vintage"] == ""
    assert pd.isna(unavailable["first_year"]) and pd.isna(unavailable["last_year"])

    used = by.loc[("out", "ds_b")]
    assert used["code"] == "B.OUT" and used["label"] == "Output"
    assert used["vintage"] == "b-2024" and used["sha256"] == "sha-b" and used["file"] == "b.csv"
    assert used["mode"] == "live" and used["url"] == "https://b.example/b.csv"
    # AAA, BBB; years of the source rows within 2000-2002: 2000..2002; one flagged cell (AAA 2002 'e')
    assert (used["n_economies"], used["first_year"], used["last_year"], used["n_flagged"]) == (2, 2000, 2002, 1)

    assert by.loc[("out", "ds_c"), "message"] == "a preferred source supplied the series"
    assert by.loc[("gdp", "ds_b"), "message"] == "no economy rows for code 'NOPE' in 2000-2002"
    assert by.loc[("agg", "ds_b"), "message"] == "no economy rows for code 'AGG.ONLY' in 2000-2002"
    gdp = by.loc[("gdp", "ds_c")]
    assert (gdp["vintage"], gdp["n_economies"], gdp["first_year"], gdp["last_year"], gdp["n_flagged"]) == (
        "c-2023", 2, 2000, 2002, 1)


def test_panel_is_a_balanced_grid_over_the_configured_years(built):
    panel, _ = built
    # economies with data in a used series: AAA, BBB (out), AAA, CCC (gdp); never WLD
    assert list(panel.columns) == ["iso3", "year", "out", "out" + FLAGS_SUFFIX, "gdp", "gdp" + FLAGS_SUFFIX]
    assert list(zip(panel["iso3"], panel["year"])) == [
        (iso3, year) for iso3 in ("AAA", "BBB", "CCC") for year in (2000, 2001, 2002)]
    assert series_columns(panel) == ["out", "gdp"]
    expected_out = [10.0, np.nan, 12.0, 20.0, 21.0, np.nan, np.nan, np.nan, np.nan]
    expected_gdp = [50.0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 70.0]
    np.testing.assert_array_equal(panel["out"].to_numpy(), expected_out)
    np.testing.assert_array_equal(panel["gdp"].to_numpy(), expected_gdp)
    # 1999 lies before years.start: not in the panel
    assert panel["year"].min() == 2000


def test_aggregates_and_unavailable_series_never_enter_the_panel(built):
    panel, _ = built
    assert "WLD" not in set(panel["iso3"])
    assert "agg" not in panel.columns and "pop" not in panel.columns
    # ds_c's C.OUT (CCC 2001 = 3) was 'not needed': the out column never takes it (no splicing)
    assert math.isnan(panel.loc[(panel["iso3"] == "CCC") & (panel["year"] == 2001), "out"].item())


def test_flags_columns_hold_the_notes_and_empty_strings_elsewhere(built):
    panel, _ = built
    assert panel["out__flags"].tolist() == ["", "", "e", "", "", "", "", "", ""]
    assert panel["gdp__flags"].tolist() == ["", "", "", "", "", "", "", "", "x"]
    assert panel["out__flags"].map(type).eq(str).all()


def test_coverage_numbers(built):
    panel, prov = built
    cov = coverage(panel, prov).set_index("series")
    assert list(cov.index) == ["out", "gdp"]
    # out: values AAA 2000, AAA 2002, BBB 2000, BBB 2001 -> 4 of 9 cells; missing 5/9
    assert cov.loc["out", "dataset"] == "ds_b" and cov.loc["out", "vintage"] == "b-2024"
    assert (cov.loc["out", "n_economies"], cov.loc["out", "first_year"], cov.loc["out", "last_year"]) == (2, 2000, 2002)
    assert cov.loc["out", "share_missing"] == pytest.approx(5 / 9)
    assert cov.loc["out", "n_flagged"] == 1
    # gdp: AAA 2000, CCC 2002 -> 2 of 9; missing 7/9
    assert cov.loc["gdp", "dataset"] == "ds_c"
    assert (cov.loc["gdp", "n_economies"], cov.loc["gdp", "first_year"], cov.loc["gdp", "last_year"]) == (2, 2000, 2002)
    assert cov.loc["gdp", "share_missing"] == pytest.approx(7 / 9)
    assert cov.loc["gdp", "n_flagged"] == 1


def test_unavailable_preferred_source_falls_back_and_available_one_wins(tables, manifests):
    # Now ds_a is available and has A.OUT: it is preferred, ds_b and ds_c are 'not needed'.
    tables["ds_a"] = tidy("ds_a", "a-1", [("BBB", "economy", 2001, "A.OUT", 7.0, "")])
    manifests["ds_a"] = dict(manifests["ds_a"], status="ok", sha256="sha-a")
    panel, prov = build_panel(tables, manifests, {"out": SERIES["out"]}, YEARS)
    assert prov["status"].tolist() == ["used", "not needed", "not needed"]
    assert list(zip(panel["iso3"], panel["year"], panel["out"].fillna(-1))) == [
        ("BBB", 2000, -1), ("BBB", 2001, 7.0), ("BBB", 2002, -1)]


def test_no_series_with_data_is_an_error(tables, manifests):
    with pytest.raises(ValueError, match="no configured series has data"):
        build_panel(tables, manifests, {"pop": SERIES["pop"]}, YEARS)


def test_combine_unmatched_sorts_by_source_code_name():
    b = pd.DataFrame({"source": ["ds_b", "ds_b"], "country_code": ["840", ""],
                      "country_name": ["Alpha", "Zeta"], "reason": ["r1", "r2"]})
    a = pd.DataFrame({"source": ["ds_a", "ds_a"], "country_code": ["", ""],
                      "country_name": ["Xanadu", "Atlantis"], "reason": ["r3", "r4"]})
    out = combine_unmatched(iter([b, a]))
    assert list(out.itertuples(index=False, name=None)) == [
        ("ds_a", "", "Atlantis", "r4"),
        ("ds_a", "", "Xanadu", "r3"),
        ("ds_b", "", "Zeta", "r2"),
        ("ds_b", "840", "Alpha", "r1"),
    ]
    assert list(out.index) == [0, 1, 2, 3]


def test_combine_unmatched_makes_numeric_codes_strings():
    # an M49 file read back from CSV has int codes; they must compare as strings with the others
    frame = pd.DataFrame({"source": ["ds", "ds"], "country_code": [36, 4],
                          "country_name": ["Australia", "Afghanistan"], "reason": ["r", "r"]})
    out = combine_unmatched([frame])
    assert out["country_code"].tolist() == ["36", "4"]  # string order: '36' < '4'
