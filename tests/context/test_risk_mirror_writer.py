"""The synthetic risk mirror (tests/e2e/synthetic_risk.py): every catalog file, parseable, sha256 listed."""

from __future__ import annotations

from resilience.catalog import read_catalog
from resilience.config import load_yaml
from resilience.context.risk.checks import risk_datasets
from resilience.sources.fetch import take_from_mirror
from resilience.sources.parsers.risk import parse_risk_file
from tests.e2e.synthetic_risk import GPR_COUNTRIES, WUI_COUNTRIES, level, write_risk_mirror
from tests.e2e.e2e_helpers import REPO


def test_mirror_holds_every_risk_file_with_its_checksum(tmp_path):
    write_risk_mirror(tmp_path / "mirror")
    catalog = read_catalog(REPO / "config" / "sources.csv")
    block = load_yaml(REPO / "config" / "config.yaml")["complex_risk"]
    parsed = {}
    for dataset in risk_datasets(block):
        row = catalog.loc[dataset]
        raw = tmp_path / "raw" / dataset
        raw.mkdir(parents=True)
        entry = take_from_mirror(tmp_path / "mirror", row["mirror_path"], raw / row["live_file"])
        assert entry["bytes"] > 0
        parsed[dataset] = parse_risk_file(row["mirror_format"], raw / row["live_file"])
    wui = parsed["wui_quarterly"]
    countries = wui.loc[wui["series"] == "WUI", "iso3"]
    assert sorted(countries.unique()) == sorted(WUI_COUNTRIES)
    gpr = parsed["gpr_monthly"]
    assert sorted(gpr.loc[gpr["series"] == "GPRC", "iso3"].unique()) == sorted(GPR_COUNTRIES)
    first = gpr[(gpr["series"] == "GPR")].iloc[0]
    assert (first["period"], first["value"]) == ("1985-01", level(0, 1020))  # 85 years x 12 months before 1985
    assert parsed["epu_china"]["period"].max() == "2020-07"
    assert parsed["gpr_daily"]["period"].max() == "2022-12-31"
