"""Writers: byte-deterministic, atomic (no partial or temporary file left on failure), sorted JSON."""

import json

import numpy as np
import pandas as pd
import pytest

from resilience.io import PAUSE_ENV, PAUSE_SECONDS, PAUSE_SECONDS_ENV, read_csv, remove_stale_temps, write_csv, write_json, write_text


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


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path):
    # what SIGKILL leaves: a complete temporary file under a random name the rerun will not reuse
    stale = [tmp_path / f".out.csv.{'a' * 32}.part", tmp_path / f".out.csv.{'0123456789abcdef' * 2}.part"]
    for path in stale:
        path.write_text("iso3,val\nAAA,1\n", encoding="utf-8")
    # not a temporary of out.csv: another output's, and names that only look alike
    kept = [tmp_path / f".other.csv.{'a' * 32}.part", tmp_path / ".out.csv.notes.part",
            tmp_path / f".out.csv.x.{'a' * 32}.part", tmp_path / "out.csv.part"]
    for path in kept:
        path.write_text("keep\n", encoding="utf-8")
    write_text("new\n", tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([p.name for p in kept] + ["out.csv"])


def test_remove_stale_temps_handles_glob_characters_in_the_name(tmp_path):
    stale = tmp_path / f".a[1]*.csv.{'b' * 32}.part"
    stale.write_text("x", encoding="utf-8")
    other = tmp_path / f".a1x.csv.{'b' * 32}.part"  # what an unescaped pattern '.a[1]*.csv' would match
    other.write_text("x", encoding="utf-8")
    assert remove_stale_temps(tmp_path / "a[1]*.csv") == [stale]
    assert [p.name for p in tmp_path.iterdir()] == [other.name]


def test_pause_hook_holds_the_complete_temporary_file_before_the_rename(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setenv(PAUSE_ENV, "out.csv")
    monkeypatch.setattr("resilience.io.time.sleep",
                        lambda s: seen.append((s, sorted(p.name for p in tmp_path.iterdir()))))
    write_text("new\n", tmp_path / "out.csv")
    write_text("other\n", tmp_path / "other.csv")  # not named: no pause
    assert len(seen) == 1 and seen[0][0] == PAUSE_SECONDS
    (name,) = seen[0][1]
    assert name.startswith(".out.csv.") and name.endswith(".part")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "new\n"
    monkeypatch.setenv(PAUSE_SECONDS_ENV, "2700")
    write_text("again\n", tmp_path / "out.csv")
    assert seen[1][0] == 2700.0
