"""NUTS harmonisation on a hand-made correspondence."""
import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience.panels.eu import nuts


def corr(rows):
    return pd.DataFrame(rows, columns=["from_version", "to_version", "level", "code_from", "code_to", "change", "status"])


CORR = corr([
    (2013, 2016, 2, "AA11", "AA11", "", "unchanged"),
    (2013, 2016, 2, "AA12", "AA21", "recoded", "recoded"),
    (2013, 2016, 2, "AA13", None, "discontinued", "discontinued"),
    (2013, 2016, 2, None, "AA22", "new region", "new"),
    (2013, 2016, 2, "AA14", "AA23", "boundary shift", "boundary"),
    (2013, 2016, 2, "AA15", "AA15", "", "unchanged"),
    (2016, 2021, 2, "AA11", "AA11", "", "unchanged"),
    (2016, 2021, 2, "AA21", "AA31", "recoded", "recoded"),
    (2016, 2021, 2, "AA22", "AA22", "", "unchanged"),
    (2016, 2021, 2, "AA15", "AA31", "recoded", "recoded"),   # two codes end on AA31: a merge
    (2016, 2021, 2, "AA23", "AA23", "", "unchanged"),
])


def test_forward_chain_recodes_and_drops():
    fate = nuts.version_map(CORR, 2013, 2021, ["AA11", "AA12", "AA13", "AA14", "ZZ99"]).set_index("unit")
    assert fate.loc["AA11", ["status", "unit_target"]].tolist() == ["unchanged", "AA11"]
    assert fate.loc["AA12", ["status", "unit_target"]].tolist() == ["recoded", "AA31"]
    assert fate.loc["AA13", "status"] == "dropped" and "2013->2016" in fate.loc["AA13", "reason"]
    assert fate.loc["AA14", "status"] == "dropped" and "boundary" in fate.loc["AA14", "reason"]
    assert fate.loc["ZZ99", "status"] == "not_in_source"


def test_collision_drops_both():
    fate = nuts.version_map(CORR, 2013, 2021, ["AA12", "AA15"]).set_index("unit")
    assert fate["status"].tolist() == ["dropped", "dropped"]
    assert "several codes end on AA31" in fate.loc["AA12", "reason"]


def test_backward_drops_new_regions_and_reverses_recodes():
    fate = nuts.version_map(CORR, 2016, 2013, ["AA21", "AA22", "AA11"]).set_index("unit")
    assert fate.loc["AA21", ["status", "unit_target"]].tolist() == ["recoded", "AA12"]
    assert fate.loc["AA22", "status"] == "dropped" and "no predecessor" in fate.loc["AA22", "reason"]
    assert fate.loc["AA11", "status"] == "unchanged"


def test_infer_version_and_unknown_version():
    assert nuts.infer_version(["AA12", "AA13", "AA11"], CORR) == 2013
    assert nuts.infer_version(["AA21", "AA22"], CORR) == 2016
    assert nuts.infer_version(["AA31", "AA11"], CORR) == 2021
    with pytest.raises(ConfigError, match="2024"):
        nuts.version_map(CORR, 2013, 2024, ["AA11"])


def test_harmonize_recodes_panel_keeps_national_rows_and_counts():
    panel = pd.DataFrame({"unit": ["AA", "AA11", "AA12", "AA13", "AA12"], "level": [0, 2, 2, 2, 2],
                          "country": "AA", "year": [2008, 2008, 2008, 2008, 2009], "value": [10.0, 1, 2, 3, 4]})
    out, report = nuts.harmonize(panel, CORR, 2013, 2016)
    assert sorted(out["unit"]) == ["AA", "AA11", "AA21", "AA21"]
    assert out.loc[out["unit"] == "AA21", "value"].tolist() == [2.0, 4.0]
    counts = nuts.summarise(report).set_index("status")["regions"].to_dict()
    assert counts == {"dropped": 1, "recoded": 1, "unchanged": 1, "total": 3}


# A region recoded in the first step and unchanged in the second: only the last step's status would
# say "unchanged", so the recoding has to be remembered across steps.
MULTI = corr([
    (2013, 2016, 2, "BB11", "BB11", "", "unchanged"),
    (2013, 2016, 2, "BB12", "BB21", "recoded", "recoded"),
    (2013, 2016, 2, "BB13", "BB13", "", "unchanged"),
    (2013, 2016, 2, "BB14", "BB22", "recoded", "recoded"),
    (2016, 2021, 2, "BB11", "BB11", "", "unchanged"),
    (2016, 2021, 2, "BB21", "BB21", "", "unchanged"),
    (2016, 2021, 2, "BB13", "BB31", "recoded", "recoded"),
    (2016, 2021, 2, "BB22", "BB32", "recoded", "recoded"),
    (2021, 2024, 2, "BB11", "BB11", "", "unchanged"),
    (2021, 2024, 2, "BB21", "BB21", "", "unchanged"),
    (2021, 2024, 2, "BB31", "BB31", "", "unchanged"),
    (2021, 2024, 2, "BB32", "BB32", "", "unchanged"),
])


def test_recoded_then_unchanged_stays_recoded():
    fate = nuts.version_map(MULTI, 2013, 2021, ["BB11", "BB12", "BB13", "BB14"]).set_index("unit")
    assert fate.loc["BB12", ["status", "unit_target"]].tolist() == ["recoded", "BB21"]
    assert fate.loc["BB13", ["status", "unit_target"]].tolist() == ["recoded", "BB31"]
    assert fate.loc["BB14", ["status", "unit_target"]].tolist() == ["recoded", "BB32"]
    assert fate.loc["BB11", ["status", "unit_target"]].tolist() == ["unchanged", "BB11"]
    # three steps, the recoding in the first of them; and the same path backward in time
    longer = nuts.version_map(MULTI, 2013, 2024, ["BB12"]).set_index("unit")
    assert longer.loc["BB12", ["status", "unit_target"]].tolist() == ["recoded", "BB21"]
    back = nuts.version_map(MULTI, 2024, 2013, ["BB21", "BB31", "BB11"]).set_index("unit")
    assert back.loc["BB21", ["status", "unit_target"]].tolist() == ["recoded", "BB12"]
    assert back.loc["BB31", ["status", "unit_target"]].tolist() == ["recoded", "BB13"]
    assert back.loc["BB11", ["status", "unit_target"]].tolist() == ["unchanged", "BB11"]


@pytest.mark.parametrize("table", [CORR, MULTI], ids=["CORR", "MULTI"])
def test_unchanged_exactly_when_the_target_code_is_the_original(table):
    known = nuts.versions(table)
    checked = 0
    for source in known:
        for target in known:
            codes = nuts.code_list(table, source)
            fate = nuts.version_map(table, source, target, codes)
            carried = fate[fate["status"].isin(["unchanged", "recoded"])]
            same = carried["unit_target"] == carried["unit"]
            assert ((carried["status"] == "unchanged") == same).all(), (source, target, carried)
            assert fate.loc[~fate["status"].isin(["unchanged", "recoded"]), "unit_target"].isna().all()
            checked += len(carried)
    assert checked > 20


def test_drop_causes_count_merges_splits_and_boundary_changes():
    assert nuts.drop_cause("2016->2021: HR04 discontinued; split into new HR02, HR05 and HR06") == "split"
    assert nuts.drop_cause("several codes end on AA31") == "merged"
    assert nuts.drop_cause("2013->2016: UKM2 boundary shift; lost ex-UKM24") == "boundary"
    assert nuts.drop_cause("2024->2021: NL35 new region, no predecessor") == "new"
    assert nuts.drop_cause("2013->2016: XX99 is not in the correspondence") == "not_in_correspondence"
    assert nuts.drop_cause("2013->2016: IE01 discontinued") == "discontinued"
    report = pd.DataFrame({"unit": ["A", "B", "C", "D"], "status": ["dropped", "dropped", "recoded", "dropped"],
                           "reason": ["several codes end on X", "several codes end on X", "", "x split into y"]})
    counts = nuts.drop_causes(report).set_index("status")["regions"].to_dict()
    assert counts == {"dropped:merged": 2, "dropped:split": 1, "dropped:boundary": 0, "dropped:discontinued": 0,
                      "dropped:new": 0, "dropped:not_in_correspondence": 0}
