"""OECD ICIO CSV parser on synthetic matrices in the 2021 and 2023 layouts, feeding the KWW decomposition."""

from __future__ import annotations

import numpy as np
import pytest

from resilience.context.gvc.kww import decompose_exports, system_from_icio
from resilience.errors import InputError
from resilience.sources.parsers.icio import parse_icio_csv
from tests.sources.synthetic_oecd import icio_csv_text

COUNTRIES = ["AUS", "CHN", "USA"]
# Industry codes with an underscore inside, as the 2023 edition writes them.
INDUSTRIES = ["A01_02", "C26"]
Z = [[0, 0, 12, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 50, 0],
     [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]
Y = [[20, 0, 10], [0, 5, 0], [0, 10, 0], [0, 7, 0], [20, 30, 50], [0, 0, 4]]
OUTPUT = [42, 5, 60, 7, 100, 4]
TAXES = [0, 0, 0, 1, 0, 0]


def value_added():
    used = np.array(Z).sum(axis=0)
    return [OUTPUT[j] - used[j] - TAXES[j] for j in range(6)]


def write(tmp_path, edition=2023, name="icio.csv", **kwargs):
    path = tmp_path / name
    path.write_text(icio_csv_text(COUNTRIES, INDUSTRIES, Z, Y, TAXES, value_added(), edition=edition, **kwargs),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("edition", [2021, 2023])
def test_blocks_of_the_matrix(tmp_path, edition):
    table = parse_icio_csv(write(tmp_path, edition))
    assert table.countries == COUNTRIES and table.industries == INDUSTRIES
    assert table.intermediate.loc[("AUS", "A01_02"), ("CHN", "A01_02")] == 12
    assert table.intermediate.to_numpy().sum() == 62
    # Final demand categories (HFCE 75 %, GFCF 25 %) are summed back per buying country.
    assert table.final_demand.loc[("USA", "A01_02")].tolist() == pytest.approx([20, 30, 50])
    assert table.final_demand.to_numpy().sum() == pytest.approx(np.array(Y).sum())
    assert table.output.tolist() == OUTPUT
    assert table.taxes.loc[("CHN", "C26")] == 1 and table.value_added.loc[("CHN", "C26")] == 6


def test_parsed_table_decomposes_like_the_hand_worked_system(tmp_path):
    # Same flows as tests/context/test_gvc_kww.py::toy_system (C1, C2, C3 = AUS, CHN, USA); taxes on
    # CHN C26's inputs count as its value added, so nothing changes.
    table = decompose_exports(system_from_icio(parse_icio_csv(write(tmp_path)))).set_index("country")
    assert table["gross_exports"].tolist() == pytest.approx([27, 50, 50])
    assert table["foreign_content"].tolist() == pytest.approx([0, 10, 25])
    assert table["dva_in_partner_exports"].tolist() == pytest.approx([15, 20, 0])


def test_split_china_is_merged(tmp_path):
    text = icio_csv_text(["AUS", "CN1", "CN2"], ["C26"], [[0, 3, 1], [0, 0, 0], [0, 0, 0]],
                         [[5, 1, 1], [2, 4, 0], [3, 0, 6]], [0, 0, 0], [11, 3, 8])
    path = tmp_path / "split.csv"
    path.write_text(text, encoding="utf-8")
    table = parse_icio_csv(path)
    assert table.countries == ["AUS", "CHN"]
    # AUS sells 3 + 1 to the two Chinese blocks; CHN's rows add up: output 6 + 9 = 15.
    assert table.intermediate.loc[("AUS", "C26"), ("CHN", "C26")] == 4
    assert table.output.tolist() == [11, 15]
    assert table.final_demand.loc[("CHN", "C26")].tolist() == [5, 10]


def test_unbalanced_output_is_an_error(tmp_path):
    path = write(tmp_path)
    lines = path.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",43"          # AUS_A01_02's OUT cell: 42 -> 43
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"row 2, field 'AUS_A01_02': row sum of uses of AUS_A01_02 is 42"):
        parse_icio_csv(path)


def test_non_numeric_cell(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text().replace("AUS_A01_02,0,0,12", "AUS_A01_02,0,0,x"))
    with pytest.raises(InputError, match=r"row 2, field 'CHN_A01_02': non-numeric value 'x'"):
        parse_icio_csv(path)


def test_missing_value_added_row(tmp_path):
    path = write(tmp_path)
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("VA,")) + "\n")
    with pytest.raises(InputError, match=r"0 value-added rows \(VA or VALU\)"):
        parse_icio_csv(path)


def test_rows_and_columns_must_match(tmp_path):
    path = write(tmp_path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:1] + lines[2:]) + "\n")     # AUS_A01_02's row lost
    with pytest.raises(InputError, match=r"rows and columns differ"):
        parse_icio_csv(path)
