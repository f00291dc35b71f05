"""Writers: byte-deterministic, atomic (no partial or temporary file left on failure), sorted JSON."""

import json

import numpy as np
import pandas as pd
import pytest

from resilience.io import read_csv, write_csv, write_json, write_text


@pytest.fixture
def frame():
    return pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "value": [0.1 + 0.2, np.nan, 1 / 3],
                         "year": [2000, 2001, 2002], "flags": ["", "e", ""]})


def test_write_csv_exact_bytes(frame, tmp_path):
    write_csv(frame, tmp_path / "a.csv")
    # %.10g: 0.30000000000000004 -> 0.3, 1/3 -> 0.3333333333; NaN and '' -> empty; '\n' line ends
    assert (tmp_path / "a.csv").read_bytes() == (b"iso3,value,year,flags\n"
                                                 b"AAA,0.3,2000,\n"
                                                 b"BBB,,2001,e\n"
                                                 b"CCC,0.3333333333,2002,\n")


def test_write_csv_is_byte_deterministic(frame, tmp_path):
    write_csv(frame, tmp_path / "a.csv")
    write_csv(frame.copy(), tmp_path / "b.csv")
    write_csv(frame, tmp_path / "a.csv")  # overwrite in place
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_write_csv_creates_parent_directories(frame, tmp_path):
    dest = tmp_path / "x" / "y" / "t.csv"
    write_csv(frame, dest)
    back = read_csv(dest)
    assert back["iso3"].tolist() == ["AAA", "BBB", "CCC"]
    assert back["flags"].isna().tolist() == [True, False, True]  # read_csv: empty cell -> NaN


def failing_to_csv(self, path, *args, **kwargs):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("iso3,val")  # half a file, then the writer dies
    raise OSError("disk full")


def test_write_csv_failure_leaves_no_file(frame, tmp_path, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_csv", failing_to_csv)
    with pytest.raises(OSError, match="disk full"):
        write_csv(frame, tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []  # neither out.csv nor a hidden .part file


def test_write_csv_failure_keeps_the_previous_file(frame, tmp_path, monkeypatch):
    dest = tmp_path / "out.csv"
    dest.write_text("old,content\n", encoding="utf-8")
    monkeypatch.setattr(pd.DataFrame, "to_csv", failing_to_csv)
    with pytest.raises(OSError):
        write_csv(frame, dest)
    assert dest.read_text(encoding="utf-8") == "old,content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_json_sorted_keys(tmp_path):
    write_json({"b": 1, "a": {"d": [2, 1], "c": None}}, tmp_path / "n.json")
    text = (tmp_path / "n.json").read_text(encoding="utf-8")
    assert text == '{\n  "a": {\n    "c": null,\n    "d": [\n      2,\n      1\n    ]\n  },\n  "b": 1\n}\n'
    assert json.loads(text) == {"a": {"c": None, "d": [2, 1]}, "b": 1}


def test_write_json_same_bytes_whatever_the_insertion_order(tmp_path):
    write_json({"x": 1, "y": 2}, tmp_path / "1.json")
    write_json({"y": 2, "x": 1}, tmp_path / "2.json")
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()


def test_write_text_is_utf8(tmp_path):
    write_text("Côte d’Ivoire\n", tmp_path / "t.md")
    assert (tmp_path / "t.md").read_bytes() == "Côte d’Ivoire\n".encode("utf-8")
