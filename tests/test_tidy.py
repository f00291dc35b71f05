"""validate_tidy: every refusal names the file, the row and the field; a valid table comes back typed
and sorted."""

import math

import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.tidy import TIDY_COLUMNS, empty_tidy, validate_tidy


def table(**changes):
    rows = {"iso3": ["USA", "WLD", "USA"], "entity": ["economy", "aggregate", "economy"],
            "year": [2001, 2000, 2000], "series": ["X", "X", "X"], "value": [1.5, None, "2"],
            "source": "ds", "vintage": "v1", "flags": ["", None, "b"]}
    rows.update(changes)
    return pd.DataFrame(rows)


def test_a_valid_table_is_typed_and_sorted():
    out = validate_tidy(table(), "f.csv")
    assert list(out.columns) == TIDY_COLUMNS
    assert out[["iso3", "year"]].values.tolist() == [["USA", 2000], ["USA", 2001], ["WLD", 2000]]
    assert out["value"].tolist()[:2] == [2.0, 1.5] and math.isnan(out["value"].iloc[2])
    assert str(out["year"].dtype) == "int64" and str(out["flags"].dtype) == "string"
    assert out["flags"].tolist() == ["b", "", ""]


def test_missing_columns_are_named():
    with pytest.raises(InputError, match=r"f.csv: missing columns \['vintage', 'flags'\]"):
        validate_tidy(table().drop(columns=["vintage", "flags"]), "f.csv")


@pytest.mark.parametrize("year, shown", [(1899, "1899"), (2101, "2101"), ("20x1", "'20x1'")])
def test_a_year_out_of_range_or_not_a_number_names_row_and_field(year, shown):
    with pytest.raises(InputError) as error:
        validate_tidy(table(year=[2001, year, 2000]), "f.csv")
    assert str(error.value) == (f"f.csv, row 1, field 'year': year {shown} out of range "
                                f"(expected an integer in 1900-2100)")
    assert (error.value.row, error.value.field) == (1, "year")


def test_a_non_numeric_value_names_row_and_field():
    with pytest.raises(InputError, match=r"f.csv, row 2, field 'value': non-numeric value '2,5'"):
        validate_tidy(table(value=[1.0, None, "2,5"]), "f.csv")


def test_an_unknown_entity_kind_names_row_and_field():
    with pytest.raises(InputError, match=r"f.csv, row 0, field 'entity': unknown entity kind 'country'"):
        validate_tidy(table(entity=["country", "aggregate", "economy"]), "f.csv")


def test_a_duplicate_key_names_the_second_row():
    with pytest.raises(InputError, match=r"f.csv, row 2: duplicate row for USA X 2001"):
        validate_tidy(table(year=[2001, 2000, 2001]), "f.csv")


def test_empty_tidy_passes_validation_unchanged():
    out = validate_tidy(empty_tidy(), "empty.csv")
    assert out.empty and list(out.columns) == TIDY_COLUMNS
