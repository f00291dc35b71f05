"""EU panel assembly: series selection, NUTS harmonisation, growth chaining, provenance, coverage."""
import math

import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.panels.eu import build as eu

CORR = pd.DataFrame([
    (2013, 2016, 2, "FR21", "FRF2", "recoded", "recoded"), (2013, 2016, 2, "FR10", "FR10", "", "unchanged"),
    (2013, 2016, 2, "IE01", None, "discontinued", "discontinued"), (2013, 2016, 2, "IE02", "IE02", "", "unchanged"),
    (2016, 2021, 2, "FRF2", "FRF2", "", "unchanged"), (2016, 2021, 2, "FR10", "FR10", "", "unchanged"),
    (2016, 2021, 2, "IE02", "IE02", "", "unchanged"),
], columns=["from_version", "to_version", "level", "code_from", "code_to", "change", "status"])


def tidy(rows):
    return pd.DataFrame(rows, columns=["unit", "nace_r2", "geo", "year", "value", "flag"])


LFS = tidy([("THS", n, g, y, v, f) for n, g, y, v, f in [
    ("B-E", "FR", 2008, 100.0, ""), ("B-E", "FR", 2009, 90.0, ""), ("B-E", "FR10", 2008, 40.0, "b"),
    ("B-E", "FR10", 2009, 38.0, ""), ("B-E", "FR21", 2008, 60.0, ""), ("B-E", "FR21", 2009, 52.0, "u"),
    ("B-E", "IE01", 2008, 5.0, ""), ("B-E", "FRZZ", 2008, 1.0, ""), ("B-E", "US11", 2008, 1.0, ""),
    ("TOTAL", "FR10", 2008, 400.0, ""), ("TOTAL", "FR21", 2008, 300.0, ""), ("B-E", "EU28", 2008, 9.0, ""),
]])
GROWTH = pd.DataFrame({"unit": "PCH_PRE", "geo": ["FR10"] * 3, "year": [2007, 2008, 2009],
                       "value": [float("nan"), 2.0, -5.0], "flag": ["", "", "p"]})
SETTINGS = {
    "countries": ["FR", "IE"], "nuts": {"target_version": 2021},
    "series": {"emp": {"label": "", "sources": [{"dataset": "lfs", "select": {"unit": "THS", "nace_r2": "B-E"}}]},
               "gva": {"label": "", "kind": "growth", "sources": [{"dataset": "gva", "select": {"unit": "PCH_PRE"}}]},
               "broadband": {"label": "", "sources": [{"dataset": "isoc", "select": {"unit": "PC_HH"}},
                                                       {"dataset": "lfs", "select": {"unit": "PC"}}]}},
    "sectors": {"sec": {"label": "", "dimension": "nace_r2", "codes": ["B-E"], "total": "TOTAL",
                        "sources": [{"dataset": "lfs", "select": {"unit": "THS"}}]}},
}


def build():
    tidies = {"lfs": LFS, "gva": GROWTH, "isoc": eu.empty_tidy()}
    manifests = {"isoc": {"status": "unavailable", "message": "not in the mirror"}, "lfs": {"sha256": "abc"}}
    return eu.build_panel(tidies, manifests, SETTINGS, CORR)


def test_panel_recodes_keeps_flags_and_national_rows():
    panel, provenance, report = build()
    emp = panel[panel["series"] == "emp"].set_index(["unit", "year"])
    assert emp.loc[("FRF2", 2009), ["value", "flag"]].tolist() == [52.0, "u"]
    assert emp.loc[("FR", 2008), "level"] == 0 and emp.loc[("FR10", 2008), "flag"] == "b"
    assert not panel["unit"].isin(["FR21", "IE01", "FRZZ", "US11", "EU28"]).any()
    fates = report.set_index("unit")["status"].to_dict()
    assert fates == {"FR10": "unchanged", "FR21": "recoded", "IE01": "dropped"}
    assert list(panel.columns) == eu.PANEL_COLUMNS


def test_growth_series_is_chained_with_flags():
    panel, _, _ = build()
    gva = panel[panel["series"] == "gva"].set_index("year")
    assert gva.loc[2007, "value"] == 100.0 and gva.loc[2008, "value"] == pytest.approx(102.0)
    assert gva.loc[2009, "value"] == pytest.approx(102.0 * 0.95) and gva.loc[2009, "flag"] == "p"


def test_provenance_first_available_source_and_reasons():
    _, provenance, _ = build()
    rows = provenance.set_index("series")
    assert rows.loc["emp", "status"] == "used" and rows.loc["emp", "nuts_version"] == 2013
    assert rows.loc["emp", "regions"] == 2 and rows.loc["emp", "sha256"] == "abc"
    assert rows.loc["broadband", "status"] == "unavailable"
    assert "isoc: not in the mirror" in rows.loc["broadband", "message"]
    assert "no unit='PC'" in rows.loc["broadband", "message"]
    assert rows.loc["sec.B-E", "status"] == "used" and rows.loc["sec_total", "status"] == "used"


def test_coverage_counts_missing_region_years():
    panel, _, _ = build()
    cov = eu.coverage(panel).set_index("series")
    # emp: regions FR10, FRF2, years 2008-2009 -> 4 cells, all present
    assert cov.loc["emp", ["regions", "region_years", "with_value", "flagged_cells"]].tolist() == [2, 4, 4, 2]
    # sec_total: 2 regions, one year each, complete
    assert cov.loc["sec_total", "missing_share"] == 0.0


def test_ambiguous_selection_is_an_error():
    settings = dict(SETTINGS, series={"emp": {"label": "", "sources": [{"dataset": "lfs", "select": {"unit": "THS"}}]}},
                    sectors={})
    with pytest.raises(InputError, match="several cells"):
        eu.build_panel({"lfs": LFS}, {}, settings, CORR)


def test_sector_table():
    panel, _, _ = build()
    wide = eu.sector_table(panel, "sec", 2008)
    assert wide.loc["FRF2", "B-E"] == 60.0 and list(wide.columns) == ["B-E"]
    assert math.isnan(wide.loc["FRF2"].get("TOTAL", float("nan")))


def test_harmonization_summary_counts_every_status_and_drop_cause():
    report = pd.DataFrame({"dataset": ["a", "a", "a", "b"], "unit": ["X1", "X2", "X3", "Y1"],
                           "status": ["recoded", "dropped", "dropped", "unchanged"],
                           "reason": ["", "2024->2021: NL35 new region, no predecessor", "several codes end on X9", ""]})
    summary = eu.harmonization_summary(report).set_index(["dataset", "status"])["regions"]
    assert summary["a"][["unchanged", "recoded", "dropped", "not_in_source", "total"]].tolist() == [0, 1, 2, 0, 3]
    assert summary["a"][["dropped:merged", "dropped:new", "dropped:split"]].tolist() == [1, 1, 0]
    assert summary["b"][["unchanged", "recoded", "dropped", "dropped:merged", "total"]].tolist() == [1, 0, 0, 0, 1]
