"""Source catalog (config/sources.csv): the shipped file reads; each bad row names file and line."""

from pathlib import Path

import pandas as pd
import pytest

from resilience.catalog import CATALOG_COLUMNS, parse_options, read_catalog
from resilience.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "config" / "sources.csv"


@pytest.fixture
def table():
    return pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)


def write(table, tmp_path) -> Path:
    path = tmp_path / "sources.csv"
    table.to_csv(path, index=False, lineterminator="\n")
    return path


def error_of(path) -> str:
    with pytest.raises(ConfigError) as info:
        read_catalog(path)
    return str(info.value)


def test_shipped_catalog_reads():
    catalog = read_catalog(SHIPPED)
    data_lines = [line for line in SHIPPED.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    assert len(catalog) == len(data_lines) > 23
    assert list(catalog.columns) == CATALOG_COLUMNS
    assert catalog.index.name == "dataset" and catalog.index.is_unique
    assert catalog.index[0] == "unsd_ama_constant" and list(catalog.index).index("owid_broadband") == 22
    assert catalog.at["wdi_databank_ict", "live_method"] == "none"
    assert catalog.at["wdi_sp_pop_totl", "live_url"] == "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL"
    # empty cells stay '' (keep_default_na=False), never NaN
    assert catalog.at["wdi_nv_ind_totl_kd", "mirror_path"] == ""
    assert catalog.at["itu_broadband", "parse_options"] == "block_title=per 100"


def test_rewritten_shipped_catalog_reads(table, tmp_path):
    assert len(read_catalog(write(table, tmp_path))) == len(table)


def test_missing_catalog_file(tmp_path):
    path = tmp_path / "absent.csv"
    assert error_of(path) == f"{path}: source catalog not found (config key sources.catalog)"


def test_missing_column_names_file_and_column(table, tmp_path):
    path = write(table.drop(columns="licence"), tmp_path)
    message = error_of(path)
    assert message.startswith(f"{path}, line 1: missing columns ['licence']")


def test_unknown_live_method_names_file_and_line(table, tmp_path):
    table.loc[4, "live_method"] = "ftp"  # 5th data row: line 6 of the file (header is line 1)
    dataset = table.loc[4, "dataset"]
    path = write(table, tmp_path)
    message = error_of(path)
    assert message.startswith(f"{path}, line 6 ({dataset}): column 'live_method' is 'ftp'")
    assert "['http', 'none', 'wb_api']" in message


def test_unknown_identity_names_file_and_line(table, tmp_path):
    table.loc[0, "identity"] = "iso2"
    path = write(table, tmp_path)
    assert error_of(path).startswith(f"{path}, line 2 (unsd_ama_constant): column 'identity' is 'iso2'")


def test_duplicate_dataset_ids_name_file_and_id(table, tmp_path):
    table.loc[2, "dataset"] = table.loc[0, "dataset"]  # line 4 repeats line 2's id
    path = write(table, tmp_path)
    message = error_of(path)
    assert message == f"{path}, line 4: dataset id 'unsd_ama_constant' already on line 2"


def test_mirror_path_without_mirror_format_names_file_and_line(table, tmp_path):
    table.loc[6, "mirror_format"] = ""  # wdi_ny_gdp_mktp_kd has a mirror_path; line 8
    assert table.loc[6, "dataset"] == "wdi_ny_gdp_mktp_kd" and table.loc[6, "mirror_path"]
    path = write(table, tmp_path)
    message = error_of(path)
    assert message == f"{path}, line 8 (wdi_ny_gdp_mktp_kd): mirror_path and mirror_format go together"


def test_mirror_format_without_mirror_path_is_an_error_too(table, tmp_path):
    table.loc[5, "mirror_format"] = "wdi_csv"  # wdi_nv_ind_totl_kd has no mirror_path; line 7
    path = write(table, tmp_path)
    assert error_of(path) == f"{path}, line 7 (wdi_nv_ind_totl_kd): mirror_path and mirror_format go together"


def test_live_source_without_url_names_file_and_line(table, tmp_path):
    table.loc[1, "live_url"] = ""
    path = write(table, tmp_path)
    assert error_of(path) == (f"{path}, line 3 (unsd_ama_current): a live source needs live_url, "
                              "live_file and live_format")


def test_bad_dataset_id(table, tmp_path):
    table.loc[3, "dataset"] = "wdi nv"
    path = write(table, tmp_path)
    assert error_of(path).startswith(f"{path}, line 5 (wdi nv): column 'dataset' must be")


def test_parse_options():
    assert parse_options({"parse_options": "block_title=per 100"}) == {"block_title": "per 100"}
    assert parse_options({"parse_options": ""}) == {}
    assert parse_options({"parse_options": "   "}) == {}
    # several pairs, whitespace around keys and values, '=' inside a value
    assert parse_options({"parse_options": " a = 1 ; b=x=y ;"}) == {"a": "1", "b": "x=y"}


def test_parse_options_on_shipped_rows():
    catalog = read_catalog(SHIPPED)
    assert parse_options(catalog.loc["itu_mobile"]) == {"block_title": "per 100"}
    assert parse_options(catalog.loc["wdi_sp_pop_totl"]) == {}
