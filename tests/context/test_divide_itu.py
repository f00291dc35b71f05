"""ITU's Key ICT indicator aggregates: the block reader (a synthetic workbook in the published layout)
and the people offline they imply."""

import openpyxl
import pandas as pd
import pytest

from resilience.context.divide.itu import itu_offline
from resilience.errors import InputError
from resilience.sources.parsers.itu_aggregates import indicator_block, read_itu_aggregates

SHEET = "By dvpmnt status and spec. reg."


def _block(title, unit, rows):
    years = [2023, 2024, 2025]
    out = [(title, unit, None, None, None, "Per 100 inhabitants", None, None), (None, *years, None, *years)]
    out += [(group, *totals, None, *rates) for group, totals, rates in rows]
    return out + [(None,) * 8]


def _workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    for row in [("Key ICT indicators for the world and special regions",), (None,)]:
        sheet.append(row)
    for row in _block("Fixed-telephone subscriptions", "Millions", [("World", (858.1, 833.5, 815.4), (10, 10, 10))]):
        sheet.append(row)
    for row in _block(
        "Individuals using the Internet",
        "Millions",
        [
            ("World", (560.0, 600.0, 640.0), (70.0, 75.0, 80.0)),
            ("Low-income", ("N/A", 20.0, 22.0), ("N/A", 25.0, 27.5)),
        ],
    ):
        sheet.append(row)
    path = tmp_path / "ITU_regional_global_Key_ICT_indicator_aggregates_Nov_2025.xlsx"
    book.save(path)
    return path


def test_reader_takes_the_named_block_only(tmp_path):
    table = read_itu_aggregates(_workbook(tmp_path), SHEET, "Individuals using the Internet")
    assert set(table["group"]) == {"World", "Low-income"}
    world = table[table["group"] == "World"].set_index("year")
    assert world.loc[2024, "total"] == 600.0 and world.loc[2024, "rate"] == 75.0
    low = table[table["group"] == "Low-income"]
    assert list(low["year"]) == [2024, 2025]  # 2023 is N/A in both runs: no row


def test_offline_by_hand(tmp_path):
    table = read_itu_aggregates(_workbook(tmp_path), SHEET, "Individuals using the Internet")
    offline = itu_offline(table, "Nov 2025").set_index(["group", "year"])
    # 600 million users are 75%: the population is 800 million, 200 million offline
    assert offline.loc[("World", 2024), "population_implied"] == pytest.approx(800e6)
    assert offline.loc[("World", 2024), "offline_people"] == pytest.approx(200e6)
    assert offline.loc[("World", 2024), "offline_pct"] == pytest.approx(25.0)
    assert offline.loc[("Low-income", 2025), "offline_people"] == pytest.approx(22e6 / 0.275 - 22e6)


def test_missing_block_and_sheet_are_named(tmp_path):
    path = _workbook(tmp_path)
    with pytest.raises(InputError, match="0 blocks titled 'Mobile broadband'"):
        read_itu_aggregates(path, SHEET, "Mobile broadband")
    with pytest.raises(InputError, match="no sheet 'By gender'"):
        read_itu_aggregates(path, "By gender", "Individuals using the Internet")


def test_text_in_a_value_cell_is_an_error():
    rows = _block("Individuals using the Internet", "Millions", [("World", (1.0, "n.a.", 2.0), (1, 2, 3))])
    with pytest.raises(InputError, match="year 2024: 'n.a.' is not a number"):
        indicator_block(rows, "Individuals using the Internet")


def test_totals_in_another_unit_are_refused():
    frame = pd.DataFrame(
        {"group": ["World"], "year": [2024], "total": [1.0], "total_unit": ["Thousands"], "rate": [50.0]}
    )
    with pytest.raises(InputError, match="Thousands"):
        itu_offline(frame, "x")
