"""OWID grapher CSV parser on synthetic exports, and on the real mirror file."""

from __future__ import annotations

import pytest

from resilience.errors import InputError
from resilience.sources.parsers.owid import parse_owid_grapher_csv
from resilience.tidy import PARSED_COLUMNS
from tests.sources.synthetic import mirror_file, write_html_page, write_owid_csv

TITLE = "Fixed broadband subscriptions (per 100 people)"
ROWS = [
    ("Afghanistan", "AFG", 2004, 0.000849129),
    ("East Asia and Pacific (WB)", "", 2009, 8.25),
    ("Micronesia (country)", "FSM", 2009, 0.5),
    ("Bonaire, Sint Eustatius and Saba", "BES", 2010, 12.0),
    ("World", "OWID_WRL", 2009, 7.0730276),
    ("World", "OWID_WRL", 2010, 8.0),
]


def value_of(table, name, year):
    rows = table[(table["country_name"] == name) & (table["year"] == year)]
    assert len(rows) == 1, f"{name} {year}: {len(rows)} rows"
    return rows.iloc[0]


def test_grapher_export_long_table(tmp_path):
    path = write_owid_csv(tmp_path / "broadband.csv", TITLE, ROWS)
    assert not path.read_bytes().endswith(b"\n")
    parsed = parse_owid_grapher_csv(path)
    table = parsed.table
    assert list(table.columns) == PARSED_COLUMNS and parsed.vintage == ""
    assert len(table) == 6
    assert set(table["series"]) == {TITLE} and set(table["flags"]) == {""}
    assert value_of(table, "Afghanistan", 2004)["value"] == 0.000849129
    assert value_of(table, "World", 2009)[["country_code", "value"]].tolist() == ["OWID_WRL", 7.0730276]
    assert value_of(table, "East Asia and Pacific (WB)", 2009)["country_code"] == ""
    assert value_of(table, "Bonaire, Sint Eustatius and Saba", 2010)["country_code"] == "BES"
    assert table["year"].dtype == "int64"


def test_last_row_cut_after_a_field(tmp_path):
    path = write_owid_csv(tmp_path / "x.csv", TITLE, ROWS)
    text = path.read_text()
    path.write_text(text[: text.rindex(",")])  # 'World,OWID_WRL,2010' lost its value
    with pytest.raises(InputError, match=r"row 7: record has 3 fields but the header has 4"):
        parse_owid_grapher_csv(path)


def test_header_changes(tmp_path):
    path = write_owid_csv(tmp_path / "x.csv", TITLE, ROWS)
    text = path.read_text()
    path.write_text(text.replace("Entity,Code,", "Country,Code,", 1))
    with pytest.raises(InputError, match=r"header lacks \['Entity'\]") as err:
        parse_owid_grapher_csv(path)
    assert err.value.field == "Entity"
    path.write_text(text.replace(TITLE, TITLE + ",Annotations", 1))
    with pytest.raises(InputError, match="header has 5 columns"):
        parse_owid_grapher_csv(path)
    path.write_text(text.splitlines()[0])
    with pytest.raises(InputError, match="no data rows"):
        parse_owid_grapher_csv(path)


def test_bad_cells_duplicates_and_html(tmp_path):
    path = write_owid_csv(tmp_path / "x.csv", TITLE, ROWS + [("Chad", "TCD", 2009, "high")])
    with pytest.raises(InputError, match=r"row 8, field '.*': non-numeric value 'high'"):
        parse_owid_grapher_csv(path)
    path = write_owid_csv(tmp_path / "y.csv", TITLE, ROWS + [("Chad", "TCD", "2009.5", 1.0)])
    with pytest.raises(InputError, match=r"row 8, field 'Year': year '2009.5'"):
        parse_owid_grapher_csv(path)
    path = write_owid_csv(tmp_path / "z.csv", TITLE, ROWS + [("World", "OWID_WRL", 2010, 9.0)])
    with pytest.raises(InputError, match="duplicate row for OWID_WRL .* 2010") as err:
        parse_owid_grapher_csv(path)
    assert err.value.row == 8
    with pytest.raises(InputError, match="HTML page"):
        parse_owid_grapher_csv(write_html_page(tmp_path / "w.csv"))


@pytest.mark.mirror
def test_mirror_broadband_export():
    parsed = parse_owid_grapher_csv(mirror_file("owid", "broadband-penetration-by-country.csv"))
    table = parsed.table
    assert set(table["series"]) == {TITLE}
    assert value_of(table, "United States", 2009)["value"] == 25.928324
    assert value_of(table, "World", 2020)[["country_code", "value"]].tolist() == ["OWID_WRL", 15.810699]
    assert value_of(table, "East Asia and Pacific (WB)", 2009)[["country_code", "value"]].tolist() == ["", 8.221287]
    assert (table["year"].min(), table["year"].max()) == (1998, 2021)
    assert table["country_name"].nunique() == 221
    assert table.loc[table["country_code"] != "", "country_code"].nunique() == 207


def test_the_value_column_is_read_by_name_when_the_export_gains_columns(tmp_path):
    path = write_owid_csv(tmp_path / "x.csv", TITLE, ROWS)
    lines = path.read_text().split("\n")
    # the grapher's extra columns, one before and one after the value column
    widened = ["Entity,Code,Year,World region according to OWID," + lines[0].split(",", 3)[3] + ",Annotations"]
    for line in lines[1:]:
        head, value = line.rsplit(",", 1)
        widened.append(f"{head},Asia,{value},")
    path.write_text("\n".join(widened))
    with pytest.raises(InputError, match="header has 6 columns.*value_column=<title>"):
        parse_owid_grapher_csv(path)
    table = parse_owid_grapher_csv(path, value_column=TITLE).table
    assert set(table["series"]) == {TITLE} and len(table) == 6
    assert value_of(table, "World", 2009)[["country_code", "value"]].tolist() == ["OWID_WRL", 7.0730276]
    with pytest.raises(InputError, match=r"header lacks \['Fixed broadband subscriptions \(per 1000 people\)'\]"):
        parse_owid_grapher_csv(path, value_column="Fixed broadband subscriptions (per 1000 people)")


def test_the_catalog_pins_the_broadband_column():
    from pathlib import Path

    from resilience.catalog import parse_options, read_catalog

    row = read_catalog(Path(__file__).resolve().parents[2] / "config" / "sources.csv").loc["owid_broadband"]
    assert parse_options(row) == {"value_column": TITLE}
