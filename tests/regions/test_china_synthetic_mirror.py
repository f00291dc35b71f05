"""The synthetic nbs-provinces mirror (tests/e2e/synthetic_china.py) through the download layer, the parsers
and the measures, without Snakemake: the realigned compiled index must give back the true real growth."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.panels.china.build import build_panel, composite
from resilience.panels.stages import measures
from resilience.sources import fetch
from tests.e2e.synthetic_china import FOLDER, expected_real_growth, write_china_mirror
from tests.e2e.e2e_helpers import REPO


@pytest.fixture(scope="module")
def block():
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["panels"]["china"]


@pytest.fixture(scope="module")
def raw_dirs(tmp_path_factory, block):
    root = tmp_path_factory.mktemp("mirror")
    write_china_mirror(root)
    catalog = read_catalog(REPO / "config" / "sources.csv")
    datasets = sorted({s["dataset"] for spec in block["series"].values() for s in spec["sources"]})
    dirs = {}
    for dataset in datasets:
        dest = tmp_path_factory.mktemp("raw") / dataset
        dest.mkdir()
        entry = fetch.acquire(catalog.loc[dataset].to_dict(), dest_dir=dest, mirror_root=root, optional=True,
                              session=None)
        fetch.write_manifest(dest / fetch.MANIFEST_NAME, entry)
        dirs[dataset] = str(dest)
    return dirs


def test_synthetic_mirror_lists_every_file_with_its_sha256(tmp_path):
    write_china_mirror(tmp_path)
    listing = pd.read_csv(tmp_path / FOLDER / "SOURCES.csv", dtype=str)
    assert len(listing) == 7
    for row in listing.itertuples():
        assert fetch.sha256_file(tmp_path / FOLDER / row.file) == row.sha256


def test_panel_and_real_growth_from_the_synthetic_mirror(raw_dirs, block):
    panel, provenance, coverage, footnotes = build_panel(raw_dirs, block)
    used = provenance[provenance["status"] == "used"].set_index("series")
    assert used.loc["gdp", "dataset"] == "nbs_fsnd_gdp_v2025" and used.loc["gdp", "kind"] == "publisher"
    assert used.loc["gdp_index", "kind"] == "compiled"
    assert (provenance.set_index(["series", "dataset"]).loc[("gdp", "nbs_fsnd_gdp_query"), "status"]
            == "not needed")                                                  # the export comes first
    assert footnotes["note"].str.contains("第五次全国经济普查").any()
    tables = measures("china", panel, block, [block["episode"]])
    growth, martin, exposures = tables["growth"], tables["martin"], tables["exposures"]
    alignment, composite_frame, weights = composite(panel, growth, block)
    real = growth.dropna(subset=["g_gdp"]).set_index(["unit", "year"])["g_gdp"]
    assert real.loc[("CN42", 2020)] == pytest.approx(expected_real_growth("湖北省", 2020), abs=1e-9)
    assert real.loc[("CN65", 2014)] == pytest.approx(expected_real_growth("新疆维吾尔自治区", 2014), abs=1e-9)
    assert "CN11" not in real.index.get_level_values("unit")                 # Beijing: no usable index rows
    assert sorted(set(real.index.get_level_values("year"))) == list(range(2014, 2023))
    resistance = martin[(martin["outcome"] == "real_gdp") & (martin["phase"] == "resistance")]
    assert len(resistance) == 30 and set(resistance["benchmark"]) == {"sum of provinces"}
    dfi = exposures[exposures["variable"] == "dfi"].set_index("unit")["value"]
    joined = resistance.set_index("unit")["index_pp"].to_frame().join(dfi)
    assert joined.corr().iloc[0, 1] > 0.8       # planted: digital provinces resist (trends differ too)
    assert alignment.set_index("index_row").loc[2021, "used_as_previous_year"]
    assert len(composite_frame.dropna()) > 0 and math.isclose(weights["weight"].sum(), 2.0)
