"""NBS 分省年度数据 exports (GBK CSV, XLSX), the easyquery JSON answer, the PKU-DFIIC .dta and the compiled
panel, on synthetic files in the exact layouts; and on the real mirror files where present."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.panels.china.provinces import NATIONAL_UNIT, code_to_unit, name_to_unit, province_table
from resilience.sources.parsers import PARSERS
from resilience.sources.parsers.nbs import (
    parse_nbs_compiled_csv, parse_nbs_easyquery_json, parse_nbs_export, parse_pku_dfiic_dta,
)
from tests.sources.synthetic import mirror_file
from tests.sources.synthetic_nbs import (
    easyquery_answer, write_compiled_csv, write_easyquery_json, write_nbs_csv, write_nbs_v2026_csv, write_nbs_xlsx,
    write_pku_dta,
)

GDP = "地区生产总值(亿元)"
YEARS = [2024, 2023, 2022]
ROWS = {"全国": [1349083.5, 1294271.7, 1234029.4], "北京市": [49670.2, 47353.7, 45222.4],
        "内蒙古自治区": [26337.0, None, 23795.7]}
NOTES = ["1.全国就业人员1990年及以后的数据根据劳动力调查推算，与前期不可比。", "2.城镇单位数据不含私营单位。"]


def value(table, name, year):
    rows = table[(table["country_name"] == name) & (table["year"] == year)]
    assert len(rows) == 1, f"{name} {year}: {len(rows)} rows"
    return rows.iloc[0]["value"]


def test_gbk_csv_export(tmp_path):
    path = write_nbs_csv(tmp_path / "分省年度数据.csv", GDP, YEARS, ROWS, NOTES)
    raw = path.read_bytes()
    assert raw.startswith("数据库".encode("gbk")) and b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")
    parsed = parse_nbs_export(path)
    table = parsed.table
    assert set(table["series"]) == {GDP}
    assert value(table, "北京市", 2022) == 45222.4
    assert value(table, "全国", 2024) == 1349083.5
    assert len(table) == 8                      # the empty 2023 cell of Inner Mongolia is dropped
    assert ((table["country_name"] == "内蒙古自治区") & (table["year"] == 2023)).sum() == 0
    assert parsed.notes == ["数据库：分省年度数据", f"指标：{GDP}", "时间：最近20年",
                            "注：" + NOTES[0], "注：" + NOTES[1]]


def test_note_continuation_lines_join_their_note(tmp_path):
    notes = ["1.第一条注释的开头，", "接着写完。", "2.第二条。"]
    parsed = parse_nbs_export(write_nbs_csv(tmp_path / "x.csv", GDP, YEARS, ROWS, notes))
    assert parsed.notes[3:] == ["注：1.第一条注释的开头，接着写完。", "注：2.第二条。"]


def test_xlsx_export_numeric_cells(tmp_path):
    path = write_nbs_xlsx(tmp_path / "分省年度-地区生产总值(亿元).xlsx", GDP, YEARS, ROWS, ["常住人口包括：……"])
    parsed = parse_nbs_export(path)
    assert value(parsed.table, "内蒙古自治区", 2024) == 26337.0
    assert value(parsed.table, "北京市", 2023) == 47353.7
    assert parsed.notes[-1] == "注：常住人口包括：……"
    assert PARSERS["nbs_xlsx"] is parse_nbs_export and PARSERS["nbs_csv"] is parse_nbs_export


def test_truncated_export_and_bad_cells_name_the_problem(tmp_path):
    path = write_nbs_csv(tmp_path / "x.csv", GDP, YEARS, ROWS, NOTES)
    text = path.read_bytes().decode("gbk")
    cut = tmp_path / "cut.csv"
    cut.write_bytes(text[: text.index("注：")].encode("gbk"))
    with pytest.raises(InputError, match="footer"):
        parse_nbs_export(cut)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(text.replace("45222.4", "45,222.4").encode("gbk"))
    with pytest.raises(InputError, match="value cells"):
        parse_nbs_export(bad)
    bad.write_bytes(text.replace("2023年", "2023").encode("gbk"))
    with pytest.raises(InputError, match="2024年"):
        parse_nbs_export(bad)
    bad.write_bytes(text.replace("45222.4", "n.a.").encode("gbk"))
    with pytest.raises(InputError, match="non-numeric value 'n.a.'") as info:
        parse_nbs_export(bad)
    assert info.value.row == 6 and info.value.field == "2022年"


def test_easyquery_json_answer(tmp_path):
    answer = easyquery_answer("A020101", "地区生产总值", "亿元",
                              {("110000", 2022): 41610.9, ("110000", 2021): 41045.6, ("150000", 2022): None},
                              {"110000": "北京市", "150000": "内蒙古自治区"})
    parsed = parse_nbs_easyquery_json(write_easyquery_json(tmp_path / "A020101.json", answer))
    table = parsed.table
    assert list(table["country_code"]) == ["110000", "110000"]
    assert list(table["year"]) == [2021, 2022] and list(table["value"]) == [41045.6, 41610.9]
    assert set(table["series"]) == {"A020101"} and parsed.notes == ["A020101 地区生产总值 (亿元)"]
    assert list(code_to_unit(table["country_code"])) == ["CN11", "CN11"]


def test_easyquery_error_answer(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"returncode": 501, "returndata": "参数错误"}), encoding="utf-8")
    with pytest.raises(InputError, match="returncode 501"):
        parse_nbs_easyquery_json(path)


def test_pku_dta(tmp_path):
    frame = pd.DataFrame({"year": [2019, 2019, 2020], "prov_name": ["北京市", "西藏自治区", "北京市"],
                          "prov_name_eng": ["Beijing", "Tibet", "Beijing"], "prov_code": [11, 54, 11],
                          "index_aggregate": [368.54, 293.79, 417.88], "coverage_breadth": [1.0, 2.0, 3.0],
                          "usage_depth": [4.0, 5.0, 6.0], "digitization_level": [7.0, 8.0, 9.0],
                          "monetary_fund": [None, None, None]})
    parsed = parse_pku_dfiic_dta(write_pku_dta(tmp_path / "PKU_DFIIC_province.dta", frame))
    table = parsed.table
    rows = table[table["series"] == "index_aggregate"]
    assert list(rows["country_code"]) == ["11", "11", "54"]
    assert list(rows["value"]) == [368.54, 417.88, 293.79]
    assert "monetary_fund" not in set(table["series"])          # all missing: no rows
    assert set(table["flags"]) == {"compiled"}


def test_compiled_panel_is_flagged(tmp_path):
    frame = pd.DataFrame({"地区": ["上海", "上海", "内蒙古"], "年份": [2019, 2020, 2020],
                          "GDP指数_上年=100": [106.0, 101.7, None], "第二产业比重_%": [27.0, 26.6, 39.6]})
    path = write_compiled_csv(tmp_path / "分省年度数据_整合.csv", frame)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = parse_nbs_compiled_csv(path).table
    assert value(table[table["series"] == "GDP指数_上年=100"], "上海", 2020) == 101.7
    assert len(table) == 5 and set(table["flags"]) == {"compiled"}
    assert list(name_to_unit(["上海", "内蒙古", "内蒙古自治区", "全国"])) == ["CN31", "CN15", "CN15", NATIONAL_UNIT]


def test_province_table_has_the_31_nbs_provinces():
    table = province_table()
    assert len(table) == 31 and table["gb_code"].is_unique and table["name_nbs"].is_unique
    assert not table["name_en"].isin(["Hong Kong", "Macao", "Taiwan"]).any()
    assert table.set_index("name_nbs").loc["新疆维吾尔自治区", "unit"] == "CN65"
    with pytest.raises(InputError, match="香港"):
        name_to_unit(["香港特别行政区"])
    with pytest.raises(InputError, match="71"):
        code_to_unit(["710000"])


@pytest.mark.parametrize("name, rows, first, last", [
    ("nbs_fsnd_gdp_2006-2024_v2025.csv", 31 * 19, 2006, 2024),
    ("nbs_fsnd_urban_unit_employment_2006-2024.csv", 31 * 17, 2008, 2024),
    ("nbs_fsnd_gdp_1992-2022_pre2024revision.xlsx", 31 * 31, 1992, 2022),
])
def test_real_nbs_exports(name, rows, first, last):
    parsed = parse_nbs_export(mirror_file("nbs-provinces", name))
    table = parsed.table
    assert len(table) == rows and (table["year"].min(), table["year"].max()) == (first, last)
    assert set(name_to_unit(table["country_name"])) == set(province_table()["unit"])
    assert parsed.notes[0] == "数据库：分省年度数据"


def test_real_gdp_values_differ_by_vintage():
    """PROVENANCE.md: Beijing 2022 is 45222.4 in the 2025 vintage and 41610.9 in the pre-revision one."""
    new = parse_nbs_export(mirror_file("nbs-provinces", "nbs_fsnd_gdp_2006-2024_v2025.csv")).table
    old = parse_nbs_export(mirror_file("nbs-provinces", "nbs_fsnd_gdp_1992-2022_pre2024revision.xlsx")).table
    assert value(new, "北京市", 2022) == 45222.4 and value(old, "北京市", 2022) == 41610.9


def test_real_pku_and_compiled_files():
    pku = parse_pku_dfiic_dta(mirror_file("nbs-provinces", "compiled_pku_dfiic_province_2011-2023.dta")).table
    aggregate = pku[pku["series"] == "index_aggregate"]
    assert len(aggregate) == 403 and aggregate["country_code"].nunique() == 31
    compiled = parse_nbs_compiled_csv(mirror_file("nbs-provinces",
                                                  "compiled_RenJiyi163_province_panel_2005-2024.csv")).table
    index = compiled[compiled["series"] == "GDP指数_上年=100"]
    assert index["country_name"].nunique() == 31 and index["year"].between(2005, 2024).all()


# ---------------------------------------------------------------- the newer (2026) export layout

GDP_INDEX = "地区生产总值指数(上年=100)"
REVISION_NOTE = "1. 按照我国国民经济核算数据修订制度和国际通行做法，对1992年-2023年地区生产总值历史数据进行了系统修订。"
INDUSTRY_TITLES = ["地区生产总值 (亿元) ", "第二产业增加值 (亿元) ", "工业增加值 (亿元) ", "人均地区生产总值 (元/人) "]


def test_v2026_years_as_columns_needs_the_indicator_from_the_catalog(tmp_path):
    path = write_nbs_v2026_csv(tmp_path / "idx.csv", "2016年-2025年", ["2025年", "2024年", "2020年"],
                               {"北京市": [None, 105.1, 101.2], "湖北省": [None, 105.8, 94.6]}, [REVISION_NOTE])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and "北京市\t,\t,105.1\t,".encode() in raw
    assert not raw.endswith(b"\n")
    with pytest.raises(InputError, match="indicator"):
        parse_nbs_export(path)
    parsed = parse_nbs_export(path, indicator=GDP_INDEX)
    table = parsed.table
    assert len(table) == 4 and set(table["series"]) == {GDP_INDEX}      # 2025 empty everywhere: dropped
    assert value(table, "湖北省", 2020) == 94.6 and value(table, "北京市", 2024) == 105.1
    assert parsed.notes[:2] == ["数据库：分省年度数据", "时间：2016年-2025年"]
    assert parsed.notes[-1].startswith("注：1. 按照我国国民经济核算")
    # through the registry with the catalog's options, as clean_source calls it
    assert PARSERS["nbs_csv"](path, indicator=GDP_INDEX).table.equals(table)


def test_v2026_indicators_as_columns_one_year(tmp_path):
    path = write_nbs_v2026_csv(tmp_path / "2019.csv", "2019年", INDUSTRY_TITLES,
                               {"北京市": [37767.0, 5812.9, 4402.8, 172373], "湖北省": [45429.0, 16088.6, None, 77387]},
                               [REVISION_NOTE])
    parsed = parse_nbs_export(path)
    table = parsed.table
    assert set(table["year"]) == {2019} and len(table) == 7
    assert set(table["series"]) == {t.strip() for t in INDUSTRY_TITLES}
    beijing = table[table["country_name"] == "北京市"].set_index("series")["value"]
    assert beijing["第二产业增加值 (亿元)"] == 5812.9 and beijing["人均地区生产总值 (元/人)"] == 172373


def test_v2026_indicator_columns_need_a_single_year(tmp_path):
    path = write_nbs_v2026_csv(tmp_path / "bad.csv", "2019年-2020年", INDUSTRY_TITLES[:2],
                               {"北京市": [1.0, 2.0]}, [])
    with pytest.raises(InputError, match="not one year"):
        parse_nbs_export(path)


def test_v2026_truncated_file_has_no_footer(tmp_path):
    path = write_nbs_v2026_csv(tmp_path / "t.csv", "2019年", INDUSTRY_TITLES[:2], {"北京市": [1.0, 2.0]}, [])
    path.write_bytes(path.read_bytes().rsplit(b"\n", 1)[0])
    with pytest.raises(InputError, match="footer"):
        parse_nbs_export(path)


def test_real_v2026_exports():
    """SOURCES.csv: 31 provinces; GDP index 2016-2024 (2025 empty), Hubei 2020 = 94.6; one year per industry file."""
    index = parse_nbs_export(mirror_file("nbs-provinces", "nbs_fsnd_gdp_index_2016-2024_v2026.csv"),
                             indicator=GDP_INDEX).table
    assert len(index) == 31 * 9 and (index["year"].min(), index["year"].max()) == (2016, 2024)
    assert value(index, "湖北省", 2020) == 94.6
    assert set(name_to_unit(index["country_name"])) == set(province_table()["unit"])
    for year in range(2019, 2025):
        name = f"nbs_fsnd_gdp_by_industry_{year}_v2026.csv"
        table = parse_nbs_export(mirror_file("nbs-provinces", name)).table
        assert set(table["year"]) == {year} and table["country_name"].nunique() == 31
        assert table["series"].nunique() == 14 and "工业增加值 (亿元)" in set(table["series"])
    beijing_2019 = parse_nbs_export(mirror_file("nbs-provinces", "nbs_fsnd_gdp_by_industry_2019_v2026.csv")).table
    assert beijing_2019[(beijing_2019["country_name"] == "北京市")
                        & (beijing_2019["series"] == "第二产业增加值 (亿元)")]["value"].iloc[0] == 5812.9
