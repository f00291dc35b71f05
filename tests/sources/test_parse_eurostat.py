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
    classify_change, parse_eurostat, read_nuts_workbook,
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
