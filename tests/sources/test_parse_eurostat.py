"""Eurostat parsers on synthetic files in the exact published layouts (tests/e2e/synthetic_eu.py)."""
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
import synthetic_eu as syn  # noqa: E402

from resilience.errors import InputError  # noqa: E402
from resilience.sources.parsers.eurostat import (  # noqa: E402
    EUROSTAT_PARSERS, classify_change, parse_eurostat, parse_eurostat_file, read_nuts_workbook,
)

SERIES = {("THS", "C", "AT11"): {2019: (10.5, "p"), 2020: (None, "c"), 2021: (12.0, "")},
          ("THS", "C", "AT"): {2019: (100.0, ""), 2020: (95.5, "bu"), 2021: (None, "")}}


def _cell(table, geo, year):
    return table[(table["geo"] == geo) & (table["year"] == year)].iloc[0]


@pytest.mark.parametrize("compress", [False, True])
def test_current_tsv_keeps_values_and_flags(tmp_path, compress):
    text = syn.current_tsv(["freq", "unit", "nace_r2", "geo"], {("A", *k): v for k, v in SERIES.items()}, [2019, 2020, 2021])
    assert text.splitlines()[0] == "freq,unit,nace_r2,geo\\TIME_PERIOD\t2019 \t2020 \t2021 "
    path = tmp_path / "x.tsv.gz"
    path.write_bytes(syn.gzip_bytes(text, "x.tsv") if compress else text.encode())
    parsed = parse_eurostat(path)
    assert parsed.layout == "current" and parsed.dimensions == ["freq", "unit", "nace_r2", "geo"]
    assert len(parsed.table) == 6
    assert (_cell(parsed.table, "AT11", 2019)[["value", "flag"]].tolist()) == [10.5, "p"]
    missing = _cell(parsed.table, "AT11", 2020)
    assert math.isnan(missing["value"]) and missing["flag"] == "c"
    assert _cell(parsed.table, "AT", 2020)["flag"] == "bu"
    assert _cell(parsed.table, "AT11", 2021)["flag"] == ""


def test_legacy_tsv_descending_years_and_glued_flag(tmp_path):
    text = syn.legacy_tsv(["unit", "nace_r2", "geo"], SERIES, [2019, 2020, 2021])
    assert text.splitlines()[0] == "unit,nace_r2,geo\\time\t2021 \t2020 \t2019 "
    text = text.replace("10.5 p", "10.5p")  # very old files glue the flag to the number
    path = tmp_path / "legacy.tsv"
    path.write_text(text)
    parsed = parse_eurostat(path)
    assert parsed.layout == "legacy" and "descending" in parsed.notes[0]
    assert _cell(parsed.table, "AT11", 2019)[["value", "flag"]].tolist() == [10.5, "p"]
    assert list(parsed.table["year"][:3]) == [2019, 2020, 2021]   # sorted ascending in the output


def test_sdmx_csv_same_table_as_tsv(tmp_path):
    csv_path, tsv_path = tmp_path / "x.csv", tmp_path / "x.tsv"
    csv_path.write_text(syn.sdmx_csv("ESTAT:X(1.0)", ["freq", "unit", "nace_r2", "geo"],
                                     {("A", *k): v for k, v in SERIES.items()}))
    tsv_path.write_text(syn.current_tsv(["freq", "unit", "nace_r2", "geo"], {("A", *k): v for k, v in SERIES.items()},
                                        [2019, 2020, 2021]))
    a, b = parse_eurostat(csv_path), parse_eurostat(tsv_path)
    assert a.layout == "sdmx_csv"
    pd.testing.assert_frame_equal(a.table, b.table)


def test_bad_cell_names_row_and_year(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("unit,geo\\time\t2021 \t2020 \nTHS,AT\t1.0 \t1,5 \n")
    with pytest.raises(InputError, match=r"row 1, field '2020'.*'1,5 '"):
        parse_eurostat(path)


def test_non_annual_period_and_unknown_header_rejected(tmp_path):
    path = tmp_path / "q.tsv"
    path.write_text("freq,geo\\TIME_PERIOD\t2020-Q1 \nQ,AT\t1 \n")
    with pytest.raises(InputError, match="not a year"):
        parse_eurostat(path)
    path.write_text("a;b\n1;2\n")
    with pytest.raises(InputError, match="unrecognised first line"):
        parse_eurostat(path)


def test_classify_change():
    assert classify_change("FR21", "FRF2", "recoded") == "recoded"
    assert classify_change("UKM2", "UKM7", "boundary shift; lost ex-UKM24") == "boundary"
    assert classify_change("NO05", "NO0A", "recoded (boundary change)", 3) == "boundary"
    assert classify_change("ITH5", "ITH5", "Boundary shift ... (art. 5(2a) EC 1059/2003)") == "unchanged"
    assert classify_change("ES52", "ES52", "name change", 1) == "unchanged"
    assert classify_change("IE01", None, "discontinued") == "discontinued"
    assert classify_change(None, "IE04", "new region") == "new"


def test_nuts_workbooks_all_three_layouts(tmp_path):
    syn.write_nuts_2013_2016(tmp_path / "a.xlsx")
    syn.write_nuts_2016_2021(tmp_path / "b.xlsx")
    syn.write_nuts_2021_2024(tmp_path / "c.xlsx")
    a, b, c = (read_nuts_workbook(tmp_path / f) for f in ("a.xlsx", "b.xlsx", "c.xlsx"))

    def status(table, old, new):
        same = lambda column, code: table[column].isna() if code is None else table[column] == code  # noqa: E731
        return table[same("code_from", old) & same("code_to", new)]["status"].tolist()
    assert (a["from_version"].unique().tolist(), a["to_version"].unique().tolist()) == ([2013], [2016])
    assert status(a, "FR21", "FRF2") == ["recoded"] and status(a, "UKM2", "UKM7") == ["boundary"]
    assert status(a, "DE11", "DE11") == ["unchanged"]
    assert len(a[a["level"] == 2]) == 16          # the full list only, not 'Correspondence NUTS-2' again
    assert status(b, "NO05", "NO0A") == ["boundary"] and status(b, "FRE2", "FRE2") == ["unchanged"]
    assert b[b["code_to"] == "BE328"]["level"].tolist() == [3]   # level missing in the sheet: from the code
    assert not b["code_from"].fillna("").str.startswith("Statistical").any()
    assert status(c, "NL31", None) == ["discontinued"] and status(c, "EL41", "EL41") == ["unchanged"]
    assert set(c["sheet"]) == {"NUTS2021- NUTS2024", "SR2021- SR2024"}


def test_workbook_without_code_columns_is_an_error(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["something", "else"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="no sheet"):
        read_nuts_workbook(tmp_path / "x.xlsx")


# ---------------------------------------------------------------------------------------------
# SDMX-CSV 2.0 (SDMX 3.0 API and the data browser's download)

GVA_ID = "ESTAT:NAMA_10R_2GVAGR$DEFAULTVIEW(1.0)"
GVA_NAME = "Gross domestic product (GDP) and Gross value added (GVA) in volume by NUTS 2 region"
GVA_DIMS = ["freq", "na_item", "unit", "geo"]
GVA = {("A", "B1G", "I15", "AT11"): {2019: (104.3, "e"), 2020: (98.6, "b"), 2021: (None, "")},
       ("A", "B1G", "I15", "AT"): {2019: (107.1, ""), 2020: (100.2, "p"), 2021: (104.0, "p")},
       ("A", "B1G", "I15", "NL35"): {2015: (100.0, "")}}


def test_sdmx_csv2_with_labels_exact_data_browser_layout(tmp_path):
    text = syn.sdmx_csv2(GVA_ID, GVA_DIMS, GVA, labels=GVA_NAME)
    lines = text.splitlines()
    assert lines[0] == ("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,na_item,National accounts indicator "
                        "(ESA 2010),unit,Unit of measure,geo,Geopolitical entity (reporting),TIME_PERIOD,Time,OBS_VALUE,"
                        "Observation value,OBS_FLAG,Observation status (Flag) V2 structure,CONF_STATUS,"
                        "Confidentiality status (flag)")
    assert lines[1] == (f"dataflow,{GVA_ID},{GVA_NAME},A,Annual,B1G,\"Value added, gross\",I15,\"Index, 2015=100\",AT,"
                        "Österreich,2019,,107.1,,,,,")
    path = tmp_path / "gva.csv"
    path.write_text(text, encoding="utf-8")
    parsed = parse_eurostat(path)
    assert parsed.layout == "sdmx_csv2" and parsed.dimensions == GVA_DIMS
    assert "with label columns" in parsed.notes[0] and GVA_ID in parsed.notes[0]
    assert len(parsed.table) == 7
    assert _cell(parsed.table, "AT11", 2019)[["value", "flag"]].tolist() == [104.3, "e"]
    assert _cell(parsed.table, "AT11", 2020)[["value", "flag"]].tolist() == [98.6, "b"]
    empty = _cell(parsed.table, "AT11", 2021)
    assert math.isnan(empty["value"]) and empty["flag"] == ""
    assert _cell(parsed.table, "NL35", 2015)["value"] == 100.0


def test_sdmx_csv2_without_labels_same_table_and_confidential_flag(tmp_path):
    labelled, plain = tmp_path / "a.csv", tmp_path / "b.csv.gz"
    labelled.write_text(syn.sdmx_csv2(GVA_ID, GVA_DIMS, GVA, labels=GVA_NAME), encoding="utf-8")
    plain_text = syn.sdmx_csv2("ESTAT:NAMA_10R_2GVAGR(1.0)", GVA_DIMS, GVA)
    assert plain_text.splitlines()[0] == ("STRUCTURE,STRUCTURE_ID,freq,na_item,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,"
                                          "CONF_STATUS")
    plain.write_bytes(syn.gzip_bytes(plain_text, "b.csv"))
    a, b = parse_eurostat(labelled), parse_eurostat(plain)
    assert b.layout == "sdmx_csv2" and "without label columns" in b.notes[0]
    pd.testing.assert_frame_equal(a.table, b.table)
    conf = {(("A", "B1G", "I15", "AT11"), 2021): "C"}
    plain.write_text(syn.sdmx_csv2("ESTAT:X(1.0)", GVA_DIMS, GVA, conf=conf))
    assert _cell(parse_eurostat(plain).table, "AT11", 2021)["flag"] == "c"


def test_sdmx_csv2_errors_name_row_and_field(tmp_path):
    path = tmp_path / "x.csv"
    text = syn.sdmx_csv2(GVA_ID, GVA_DIMS, GVA, labels=GVA_NAME)
    path.write_text(text.replace(",98.6,", ",98,6,"))
    with pytest.raises(InputError, match="row 6: record has 20 fields but the header has 19"):
        parse_eurostat(path)
    path.write_text(text.replace(",104.3,", ",n/a,"))
    with pytest.raises(InputError, match=r"row 4, field 'OBS_VALUE'.*'n/a'"):
        parse_eurostat(path)
    lines = text.splitlines()
    path.write_text("\n".join([lines[0], lines[1].rsplit(",", 3)[0]]) + "\n")
    with pytest.raises(InputError, match="16 fields but the header has 19"):
        parse_eurostat(path)
    path.write_text(text.replace(",TIME_PERIOD,Time,", ",PERIOD,Time,", 1))
    with pytest.raises(InputError, match="missing columns \\['TIME_PERIOD'\\]"):
        parse_eurostat(path)


def test_registry_checks_the_catalog_format(tmp_path):
    path = tmp_path / "gva.csv"
    path.write_text(syn.sdmx_csv2(GVA_ID, GVA_DIMS, GVA, labels=GVA_NAME))
    assert EUROSTAT_PARSERS["eurostat_sdmx_csv2"](path).layout == "sdmx_csv2"
    assert parse_eurostat_file("eurostat_sdmx_csv2", path).dimensions == GVA_DIMS
    with pytest.raises(InputError, match="sdmx_csv2 layout.*'eurostat_tsv'"):
        parse_eurostat_file("eurostat_tsv", path)
    with pytest.raises(InputError, match="unknown Eurostat format 'eurostat_json'"):
        parse_eurostat_file("eurostat_json", path)


def test_catalog_rows_of_the_data_browser_files():
    from resilience.catalog import read_catalog
    catalog = read_catalog(Path(__file__).resolve().parents[2] / "config" / "sources.csv")
    for dataset, code in (("eurostat_nama_10r_2gvagr_sdmx", "nama_10r_2gvagr"), ("eurostat_nama_10r_2gdp", "nama_10r_2gdp")):
        row = catalog.loc[dataset]
        assert row["mirror_format"] == row["live_format"] == "eurostat_sdmx_csv2"
        assert row["mirror_path"] == f"eurostat/{code}_sdmx-csv_2014-2023.csv"
        # the live client asks the SDMX 3.0 API for the same SDMX-CSV 2.0 layout
        assert f"/sdmx/3.0/data/dataflow/ESTAT/{code}/1.0?" in row["live_url"]
        assert "format=csvdata&formatVersion=2.0" in row["live_url"]
