"""The resistance map's data side: GISCO polygons through the raw layer (mirror present or not), the
status table, and the report line that states either the map or that it needs the live GISCO file."""

import hashlib
import json

import pandas as pd
import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.errors import ConfigError
from resilience.config import check_config
from resilience.panels.eu.checks import check_eu_config, url_nuts_version
from resilience.panels.eu.map import MAP_STATUS_COLUMNS, NEEDS_LIVE, map_status, shapes_from_raw
from resilience.panels.eu.section import _map
from resilience.sources.fetch import acquire
from tests.sources.synthetic_gisco import write_gisco

CONFIG = yaml.safe_load(open("config/config.yaml", encoding="utf-8"))
CATALOG = read_catalog("config/sources.csv")
DATASET = CONFIG["panels"]["eu"]["map"]["dataset"]
ROW = CATALOG.loc[DATASET].to_dict()
SETTINGS = CONFIG["panels"]["eu"]
PANELS = {"gfc": pd.Series({"AT12": 2.0, "AT13": -4.0, "UKC1": 1.5, "EL43": float("nan")}),
          "covid": pd.Series({"AT12": 1.0}, dtype="float64")}


def test_catalog_row_is_the_gisco_nuts_file_of_the_panel_version():
    target = SETTINGS["nuts"]["target_version"]
    assert DATASET in CONFIG["sources"]["optional"]
    assert ROW["live_url"] == ("https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/"
                               f"NUTS_RG_20M_{target}_4326_LEVL_2.geojson")
    assert ROW["live_file"] == ROW["live_url"].rsplit("/", 1)[1]
    assert ROW["live_format"] == ROW["mirror_format"] == "gisco_geojson"
    assert SETTINGS["map"]["nuts_version"] == target


def test_map_nuts_version_must_match_the_panel():
    config = json.loads(json.dumps(CONFIG))
    config["panels"]["eu"]["map"]["nuts_version"] = 2016
    with pytest.raises(ConfigError, match="polygons are NUTS 2016 but the panel is harmonised to NUTS 2021"):
        check_eu_config(config, set(CATALOG.index))
    config = json.loads(json.dumps(CONFIG))
    config["panels"]["eu"]["map"]["extent"] = [35.0, -11.0, 34.0, 71.5]
    with pytest.raises(ConfigError, match="panels.eu.map.extent"):
        check_eu_config(config, set(CATALOG.index))


def test_nuts_version_is_read_from_the_gisco_file_name():
    assert url_nuts_version(ROW["live_url"]) == 2021
    assert url_nuts_version("https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/"
                            "NUTS_RG_01M_2016_3035_LEVL_2.geojson") == 2016
    assert url_nuts_version("https://example.org/regions.geojson") is None


def test_catalog_url_of_another_nuts_version_is_refused_even_if_the_config_claims_the_panels():
    """map.nuts_version says 2021 (the panel's), but the catalog row points at the 2016 file."""
    catalog = CATALOG.copy()
    url = ROW["live_url"].replace("_2021_", "_2016_")
    catalog.loc[DATASET, "live_url"] = url
    assert CONFIG["panels"]["eu"]["map"]["nuts_version"] == 2021
    with pytest.raises(ConfigError) as info:
        check_eu_config(CONFIG, set(catalog.index), catalog)
    message = str(info.value)
    assert f"config/sources.csv row {DATASET} (live_url {url})" in message
    assert "the file is NUTS 2016 but the panel is harmonised to NUTS 2021" in message
    catalog.loc[DATASET, "live_url"] = "https://example.org/regions.geojson"
    with pytest.raises(ConfigError, match=r"no NUTS version in the file name .*NUTS_RG_20M_2021_4326_LEVL_2"):
        check_eu_config(CONFIG, set(catalog.index), catalog)
    check_eu_config(CONFIG, set(CATALOG.index), CATALOG)     # the shipped row is the 2021 file


def test_config_check_reads_the_catalog_row(tmp_path, monkeypatch):
    """check_config hands the catalog to the EU check: a 2016 URL in sources.csv stops the run."""
    from pathlib import Path
    root = Path("config").resolve().parent
    text = (root / "config" / "sources.csv").read_text(encoding="utf-8").replace(
        "NUTS_RG_20M_2021_4326_LEVL_2.geojson,NUTS_RG", "NUTS_RG_20M_2016_4326_LEVL_2.geojson,NUTS_RG", 1)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "sources.csv").write_text(text, encoding="utf-8")
    config = json.loads(json.dumps(CONFIG))
    config["sources"]["catalog"] = str(tmp_path / "config" / "sources.csv")
    with pytest.raises(ConfigError, match="the file is NUTS 2016"):
        check_config(config, root=root)


def _mirror(tmp_path, with_gisco: bool):
    """A mirror with one unrelated folder, and the GISCO file (listed with its sha256) when asked."""
    root = tmp_path / "mirror"
    (root / "eurostat").mkdir(parents=True)
    (root / "eurostat" / "SOURCES.csv").write_text("file,bytes,sha256,publisher_url,vintage\n")
    if with_gisco:
        path = write_gisco(root / ROW["mirror_path"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        (path.parent / "SOURCES.csv").write_text("file,bytes,sha256,publisher_url,vintage\n"
                                                  f"{path.name},{path.stat().st_size},{digest},{ROW['live_url']},2024-10-09\n")
    return root


def test_offline_without_the_file_the_map_is_skipped_and_the_section_says_so(tmp_path):
    raw_dir = tmp_path / "data" / "raw" / DATASET
    manifest = acquire(ROW, dest_dir=raw_dir, mirror_root=_mirror(tmp_path, with_gisco=False), optional=True)
    assert (manifest["status"], manifest["mode"]) == ("unavailable", "mirror")
    shapes, read = shapes_from_raw(raw_dir)
    assert shapes is None and read == manifest
    status = map_status(read, None, PANELS, outcome="industry_employment", limit=None)
    assert list(status.columns) == MAP_STATUS_COLUMNS
    assert status["episode"].tolist() == ["gfc", "covid"] and status["regions_with_value"].tolist() == [3, 1]
    assert status["regions_coloured"].isna().all() and status["color_limit_pp"].isna().all()
    assert (status["status"] == "unavailable").all()
    assert f"{ROW['mirror_path']} is not in the mirror" in status["message"].iloc[0]
    assert ROW["live_url"] in status["message"].iloc[0]
    text = "\n".join(_map(status, SETTINGS))
    assert f"**Map not drawn: it {NEEDS_LIVE}.**" in text and DATASET in text and ROW["live_url"] in text
    assert "eu_resistance_map.png" not in text


def test_required_gisco_file_missing_offline_would_stop_the_run(tmp_path):
    with pytest.raises(Exception, match=f"{DATASET}: {ROW['mirror_path']} is not in the mirror"):
        acquire(ROW, dest_dir=tmp_path / "raw", mirror_root=_mirror(tmp_path, with_gisco=False), optional=False)


def test_with_the_file_the_status_counts_regions_and_the_section_shows_the_map(tmp_path):
    raw_dir = tmp_path / "data" / "raw" / DATASET
    manifest = acquire(ROW, dest_dir=raw_dir, mirror_root=_mirror(tmp_path, with_gisco=True), optional=True)
    assert manifest["status"] == "ok" and manifest["format"] == "gisco_geojson"
    shapes, read = shapes_from_raw(raw_dir)
    assert shapes.codes == ["AT12", "AT13", "EL43", "FRY1"]
    status = map_status(read, shapes, PANELS, outcome="industry_employment", limit=3.5)
    gfc, covid = status.iloc[0], status.iloc[1]
    # gfc: AT12, AT13 coloured; EL43 (NaN) and FRY1 grey; UKC1 has a value but no polygon
    assert (gfc["regions_with_value"], gfc["regions_coloured"], gfc["regions_grey"], gfc["values_without_polygon"]) \
        == (3, 2, 2, 1)
    assert gfc["codes_without_polygon"] == "UKC1" and gfc["color_limit_pp"] == 3.5
    assert (covid["regions_coloured"], covid["regions_grey"], covid["values_without_polygon"]) == (1, 3, 0)
    # written and read back as the section script does
    path = tmp_path / "eu_map_status.csv"
    status.to_csv(path, index=False)
    text = "\n".join(_map(pd.read_csv(path, keep_default_na=False, na_values=[""]), SETTINGS))
    assert "colour scale +-3.5 pp" in text and "NUTS_RG_20M_2021_4326_LEVL_2.geojson" in text
    assert "- gfc: 2 regions coloured, 2 polygons without a value (grey), 1 regions with a value but no polygon (UKC1)." in text
    assert "- covid: 1 regions coloured, 3 polygons without a value (grey), 0 regions with a value but no polygon." in text
    assert "![Resistance of industry_employment by NUTS-2 region](figures/eu_resistance_map.png)" in text
    assert NEEDS_LIVE not in text


def test_eu_section_carries_the_map_line():
    from resilience.panels.eu.section import eu_section
    from tests.regions.test_eu_report import SETTINGS as REPORT_SETTINGS, results
    status = map_status({"dataset": DATASET, "status": "unavailable", "message": "not in the mirror"}, None, PANELS,
                        outcome="industry_employment", limit=None)
    text = eu_section({**results(), "map_status": status}, {**REPORT_SETTINGS, "map": SETTINGS["map"]})
    assert "### Map of regional resistance" in text and f"it {NEEDS_LIVE}" in text
    assert text.index("### Map of regional resistance") < text.index("### Figures")
