"""OECD SDMX-CSV parser on synthetic files in the layouts sdmx.oecd.org serves (1.0, 2.0, with labels)."""

from __future__ import annotations

import math

import pytest

from resilience.errors import InputError
from resilience.sources.parsers.oecd import parse_sdmx_csv, scaled_values
from tests.sources.synthetic_oecd import LEVELS_FLOW, SHARES_FLOW, observation, sdmx_csv_text, write_sdmx_csv
from tests.sources.synthetic import write_html_page

OBSERVATIONS = [
    observation("EXGR_FVA", "CHN", "_T", 2010, 31.25),
    observation("EXGR_FVA", "CHN", "_T", 2011, 30.5, status="E"),
    observation("EXGR_DVAFX", "CHN", "_T", 2010, 14.0),
    # An observation without a value: empty OBS_VALUE, flagged missing.
    observation("EXGR_DVAFX", "CHN", "_T", 2011, None, status="M"),
    observation("EXGR_FVA", "USA", "C26", 2010, 9.75),
]
DIMENSIONS = ["MEASURE", "REF_AREA", "ACTIVITY", "COUNTERPART_AREA", "UNIT_MEASURE", "FREQ"]


def obs(table, measure, area, year, activity="_T"):
    rows = table[(table["MEASURE"] == measure) & (table["REF_AREA"] == area) & (table["year"] == year)
                 & (table["ACTIVITY"] == activity)]
    assert len(rows) == 1, f"{measure} {area} {year}: {len(rows)} rows"
    return rows.iloc[0]


@pytest.mark.parametrize("layout", ["labels", "v1", "v2", "v1_inline"])
def test_every_layout_gives_the_same_table(tmp_path, layout):
    path = write_sdmx_csv(tmp_path / f"{layout}.csv", OBSERVATIONS, layout=layout)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    parsed = parse_sdmx_csv(path)
    table = parsed.table
    assert parsed.dimensions == DIMENSIONS
    assert list(table.columns) == ["dataflow", *DIMENSIONS, "year", "value", "unit_mult", "obs_status"]
    assert len(table) == 5 and set(table["dataflow"]) == {SHARES_FLOW}
    assert obs(table, "EXGR_FVA", "CHN", 2010)["value"] == 31.25
    assert obs(table, "EXGR_FVA", "CHN", 2011)[["value", "obs_status"]].tolist() == [30.5, "E"]
    missing = obs(table, "EXGR_DVAFX", "CHN", 2011)
    assert math.isnan(missing["value"]) and missing["obs_status"] == "M"
    assert obs(table, "EXGR_FVA", "USA", 2010, "C26")["value"] == 9.75
    assert table["year"].dtype == "int64" and set(table["unit_mult"]) == {0}
    assert parsed.attributes == ["OBS_STATUS", "UNIT_MULT", "DECIMALS"]


def test_labels_are_read_where_the_file_has_them(tmp_path):
    parsed = parse_sdmx_csv(write_sdmx_csv(tmp_path / "x.csv", OBSERVATIONS, layout="labels"))
    assert parsed.labels["REF_AREA"] == {"CHN": "China (People's Republic of)", "USA": "United States"}
    assert parsed.labels["MEASURE"]["EXGR_DVAFX"] == "Domestic value added embodied in foreign exports"
    inline = parse_sdmx_csv(write_sdmx_csv(tmp_path / "y.csv", OBSERVATIONS, layout="v1_inline"))
    assert inline.labels["ACTIVITY"] == {"C26": "Computer, electronic and optical products",
                                         "_T": "Total - all activities"}
    assert parse_sdmx_csv(write_sdmx_csv(tmp_path / "z.csv", OBSERVATIONS, layout="v1")).labels == {}


def test_unit_multiplier_kept_and_applied_on_request(tmp_path):
    rows = [observation("EXGR", "CHN", "_T", 2010, 1577.5, unit="USD_EXC", mult="6"),
            observation("EXGR", "CHN", "C26", 2010, 400, unit="USD_EXC", mult="6")]
    table = parse_sdmx_csv(write_sdmx_csv(tmp_path / "lv.csv", rows, flow=LEVELS_FLOW)).table
    # Rows are sorted by the series key; 'C26' sorts before '_T' (ASCII).
    assert table["ACTIVITY"].tolist() == ["C26", "_T"] and table["value"].tolist() == [400.0, 1577.5]
    as_published = dict(zip(table["ACTIVITY"], table["value"]))
    scaled = dict(zip(table["ACTIVITY"], scaled_values(table)))
    assert as_published == {"_T": 1577.5, "C26": 400.0}
    assert scaled == {"_T": 1577.5e6, "C26": 400e6}
    assert set(table["unit_mult"]) == {6} and set(table["dataflow"]) == {LEVELS_FLOW}


def test_nan_marker_is_missing_too(tmp_path):
    text = sdmx_csv_text([observation("EXGR_FVA", "IND", "_T", 2012, None)], layout="v1")
    path = tmp_path / "nan.csv"
    path.write_text(text.replace(",2012,,", ",2012,NaN,"), encoding="utf-8")
    assert math.isnan(parse_sdmx_csv(path).table.at[0, "value"])


def test_non_numeric_value_names_row_and_field(tmp_path):
    rows = [observation("EXGR_FVA", "CHN", "_T", 2010, 1.0), observation("EXGR_FVA", "CHN", "_T", 2011, "n.a.")]
    path = write_sdmx_csv(tmp_path / "bad.csv", rows, layout="v1")
    with pytest.raises(InputError, match=r"row 3, field 'OBS_VALUE': non-numeric value 'n.a.'"):
        parse_sdmx_csv(path)


def test_missing_time_period_column(tmp_path):
    path = tmp_path / "no_time.csv"
    path.write_text("DATAFLOW,MEASURE,REF_AREA,OBS_VALUE\nX,EXGR,CHN,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1, field 'TIME_PERIOD': header lacks TIME_PERIOD"):
        parse_sdmx_csv(path)


def test_not_an_sdmx_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Country,Year,Value\nChina,2010,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"neither an SDMX id nor the label"):
        parse_sdmx_csv(path)


def test_quarterly_period_is_refused(tmp_path):
    rows = [observation("EXGR_FVA", "CHN", "_T", "2010-Q1", 1.0)]
    with pytest.raises(InputError, match=r"row 2, field 'TIME_PERIOD': TIME_PERIOD '2010-Q1' is not a year"):
        parse_sdmx_csv(write_sdmx_csv(tmp_path / "q.csv", rows, layout="v2"))


def test_duplicate_observation(tmp_path):
    rows = [observation("EXGR_FVA", "CHN", "_T", 2010, 1.0), observation("EXGR_FVA", "CHN", "_T", 2010, 2.0)]
    with pytest.raises(InputError, match=r"row 3: observation EXGR_FVA CHN _T W PT_EXGR A 2010 appears twice"):
        parse_sdmx_csv(write_sdmx_csv(tmp_path / "d.csv", rows))


def test_truncated_last_record(tmp_path):
    path = write_sdmx_csv(tmp_path / "cut.csv", OBSERVATIONS, layout="v1")
    data = path.read_bytes()
    path.write_bytes(data[: data.rstrip(b"\r\n").rindex(b",2010,")])
    with pytest.raises(InputError, match=r"row 6: record has \d+ fields but the header has 12"):
        parse_sdmx_csv(path)


def test_header_only_means_no_observations(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(sdmx_csv_text([], layout="v1"), encoding="utf-8")
    with pytest.raises(InputError, match=r"no observations"):
        parse_sdmx_csv(path)


def test_html_error_page(tmp_path):
    path = write_html_page(tmp_path / "page.csv")
    with pytest.raises(InputError, match=r"HTML page"):
        parse_sdmx_csv(path)


def test_delete_action_is_refused(tmp_path):
    path = write_sdmx_csv(tmp_path / "del.csv", OBSERVATIONS[:1], layout="v2")
    path.write_bytes(path.read_bytes().replace(b",I,", b",D,"))
    with pytest.raises(InputError, match=r"field 'ACTION': ACTION 'D'"):
        parse_sdmx_csv(path)


def test_bad_unit_multiplier(tmp_path):
    rows = [observation("EXGR", "CHN", "_T", 2010, 1.0, mult="M")]
    with pytest.raises(InputError, match=r"field 'UNIT_MULT'"):
        parse_sdmx_csv(write_sdmx_csv(tmp_path / "m.csv", rows, layout="v1"))
