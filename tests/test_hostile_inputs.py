"""Hostile inputs the rest of the suite did not cover (see tests/HOSTILE_INPUTS.md for the whole list).

Each ends in an error naming the file, field or config key, or in a correct result:
- a raw file changed after download (sha256 differs from its manifest.json), or missing;
- a shock outside the data (phase years inside the configured years, but no economy has data);
- an unknown series code (no rows: 'no data' in the provenance, then a named error for the outcome);
- an all-missing series in a published file (every cell empty: same path as no data);
- a server that accepts the connection and never answers (read timeout, retried, then named).
"""

import hashlib
import json
import socket
import time

import pandas as pd
import pytest

from resilience.clean import clean_dataset, country_metadata
from resilience.sources.raw import raw_file
from resilience.panels.countries.measures import growth_table, martin_table
from resilience.errors import DownloadError, InputError
from resilience.panels.countries.build import build_panel
from resilience.sources import fetch
from tests.sources.synthetic import write_wdi_country_metadata, write_wdi_csv

YEARS = [2006, 2007, 2008, 2009, 2010]
COUNTRIES = [("USA", "United States", "North America", "High income"),
             ("CHN", "China", "East Asia & Pacific", "Upper middle income"),
             ("WLD", "World", "", "")]
POP_ROW = {"dataset": "wdi_sp_pop_totl", "identity": "wb", "parse_options": "", "live_format": "wdi_csv",
           "mirror_format": "wdi_csv"}


def raw_dir(tmp_path, name, write, fmt):
    """data/raw/<name>/<file> written by ``write(path)`` plus the manifest the download rule writes."""
    folder = tmp_path / "raw" / name
    folder.mkdir(parents=True)
    path = write(folder / f"{name}.csv")
    manifest = {"dataset": name, "status": "ok", "file": path.name, "format": fmt, "mode": "mirror",
                "sha256": fetch.sha256_file(path), "url": "https://api.worldbank.org/x", "message": None}
    fetch.write_manifest(folder / fetch.MANIFEST_NAME, manifest)
    return folder


def population_file(values):
    rows = {("USA", "United States"): values, ("CHN", "China"): values, ("WLD", "World"): {2008: 1.0}}
    return lambda path: write_wdi_csv(path, "SP.POP.TOTL", "Population, total", "2026-07-13", rows, YEARS)


@pytest.fixture
def metadata(tmp_path):
    folder = raw_dir(tmp_path, "wdi_country_meta", lambda p: write_wdi_country_metadata(p, COUNTRIES), "wdi_country_csv")
    return country_metadata(folder)


# ------------------------------------------------------------------ raw file vs its manifest


def test_raw_file_changed_after_download_names_file_field_and_both_hashes(tmp_path):
    folder = raw_dir(tmp_path, "wdi_sp_pop_totl", population_file({2008: 5.0, 2009: 6.0}), "wdi_csv")
    path = folder / "wdi_sp_pop_totl.csv"
    recorded = fetch.sha256_file(path)
    assert raw_file(folder) == (path, json.loads((folder / "manifest.json").read_text()))
    path.write_bytes(path.read_bytes().replace(b"6", b"7"))  # one digit edited in place
    with pytest.raises(InputError) as info:
        raw_file(folder)
    message = str(info.value)
    assert message.startswith(f"{path}, field 'sha256': sha256 {hashlib.sha256(path.read_bytes()).hexdigest()} "
                              f"differs from the one {folder / 'manifest.json'} recorded")
    assert f"(expected {recorded})" in message and f"delete {folder} and rerun" in message


def test_clean_step_refuses_a_raw_file_changed_after_download(tmp_path, metadata):
    folder = raw_dir(tmp_path, "wdi_sp_pop_totl", population_file({2008: 5.0, 2009: 6.0}), "wdi_csv")
    with open(folder / "wdi_sp_pop_totl.csv", "ab") as handle:
        handle.write(b'"Extra","XXX","Population, total","SP.POP.TOTL","1",\n')
    with pytest.raises(InputError, match=r"wdi_sp_pop_totl.csv, field 'sha256': sha256 [0-9a-f]{64} differs"):
        clean_dataset(folder, POP_ROW, metadata, {"start": 2006, "end": 2010})


@pytest.mark.parametrize("recorded", [None, "", "0" * 63, "z" * 64])
def test_raw_file_whose_manifest_has_no_usable_sha256_is_refused(tmp_path, recorded):
    folder = raw_dir(tmp_path, "wdi_sp_pop_totl", population_file({2008: 5.0}), "wdi_csv")
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "sha256": recorded}))
    with pytest.raises(InputError) as info:
        raw_file(folder)
    message = str(info.value)
    assert message.startswith(f"{folder / 'manifest.json'}, field 'sha256': sha256 {recorded!r} for "
                              "wdi_sp_pop_totl.csv is not 64 hex digits")


def test_raw_file_the_manifest_lists_but_is_gone(tmp_path):
    folder = raw_dir(tmp_path, "wdi_sp_pop_totl", population_file({2008: 5.0}), "wdi_csv")
    (folder / "wdi_sp_pop_totl.csv").unlink()
    with pytest.raises(InputError, match=r"wdi_sp_pop_totl.csv, field 'file': the raw file .*manifest.json lists "
                                         r"is missing; delete .* and rerun"):
        raw_file(folder)


# ------------------------------------------------------------------ series code and all-missing series


def test_all_missing_series_is_no_data_and_the_fallback_is_used(tmp_path, metadata):
    empty = raw_dir(tmp_path, "wdi_sp_pop_totl", population_file({}), "wdi_csv")  # every cell empty
    tidy, _, manifest = clean_dataset(empty, POP_ROW, metadata, {"start": 2006, "end": 2010})
    assert tidy[tidy["entity"] == "economy"].empty
    fallback = tidy.iloc[0:0].copy()
    fallback = pd.concat([fallback, pd.DataFrame([{"iso3": "USA", "entity": "economy", "year": 2008,
                                                   "series": "POP", "value": 3.0, "source": "b", "vintage": "v",
                                                   "flags": ""}])], ignore_index=True)
    series = {"population": {"label": "Population", "sources": [{"dataset": "wdi_sp_pop_totl", "code": "SP.POP.TOTL"},
                                                               {"dataset": "b", "code": "POP"}]}}
    panel, provenance = build_panel({"wdi_sp_pop_totl": tidy, "b": fallback},
                                    {"wdi_sp_pop_totl": manifest, "b": {"status": "ok"}}, series,
                                    {"start": 2006, "end": 2010})
    first = provenance.iloc[0]
    assert (first["status"], first["message"]) == ("no data", "no economy rows for code 'SP.POP.TOTL' in 2006-2010")
    assert provenance.iloc[1]["status"] == "used"
    assert panel.set_index(["iso3", "year"]).at[("USA", 2008), "population"] == 3.0


def test_unknown_series_code_is_named_in_provenance_and_then_the_outcome_fails_by_name(tmp_path, metadata):
    folder = raw_dir(tmp_path, "wdi_sp_pop_totl", population_file({2008: 5.0, 2009: 6.0}), "wdi_csv")
    tidy, _, manifest = clean_dataset(folder, POP_ROW, metadata, {"start": 2006, "end": 2010})
    series = {"mva_kd": {"label": "MVA", "sources": [{"dataset": "wdi_sp_pop_totl", "code": "NV.IND.MANF.KDX"}]},
              "population": {"label": "Pop", "sources": [{"dataset": "wdi_sp_pop_totl", "code": "SP.POP.TOTL"}]}}
    panel, provenance = build_panel({"wdi_sp_pop_totl": tidy}, {"wdi_sp_pop_totl": manifest}, series,
                                    {"start": 2006, "end": 2010})
    row = provenance.set_index("series").loc["mva_kd"]
    assert (row["status"], row["message"]) == ("no data", "no economy rows for code 'NV.IND.MANF.KDX' in 2006-2010")
    with pytest.raises(InputError) as info:
        growth_table(panel, {"g_mva": "mva_kd"})
    assert str(info.value).startswith("country panel, field 'mva_kd': series 'mva_kd' is not in the panel")
    assert "results/tables/provenance.csv" in str(info.value)


# ------------------------------------------------------------------ a shock outside the data


def test_shock_outside_the_data_names_the_episode_key():
    panel = pd.DataFrame({"iso3": ["AAA"] * 4 + ["BBB"] * 4, "year": [2019, 2020, 2021, 2022] * 2,
                          "mva_kd": [10.0, 9.0, 9.5, None, 20.0, 19.0, 19.5, None]})
    inside = {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2021]}
    table = martin_table(panel, "mva_kd", [inside], "world_sum")
    assert table.loc[(table["iso3"] == "AAA") & (table["phase"] == "resistance"), "g_unit"].iloc[0] == \
        pytest.approx(-10.0)
    outside = {"name": "late", "contraction": [2021, 2022], "recovery": [2022, 2023]}
    with pytest.raises(InputError) as info:
        martin_table(panel, "mva_kd", [inside, outside], "world_sum")
    assert str(info.value) == ("country panel, field 'episodes.late.contraction': no economy has mva_kd in both "
                               "2021 and 2022: the shock lies outside the data (mva_kd covers 2019-2021) "
                               "(expected phase years inside 2019-2021)")


# ------------------------------------------------------------------ network: a read timeout


@pytest.fixture
def silent_url():
    """A localhost port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/data.csv"


def test_read_timeout_is_retried_then_named_and_leaves_nothing(silent_url, tmp_path):
    session = fetch.make_session(retries=2, backoff_factor=0)
    dest = tmp_path / "data.csv"
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        fetch.download(silent_url, dest, session=session, timeout=(0.5, 0.5))
    elapsed = time.monotonic() - started
    message = str(info.value)
    assert message.startswith(f"GET {silent_url} failed (retries exhausted): ")
    assert "timed out" in message.lower()
    assert 1.4 <= elapsed < 20, f"three tries of 0.5 s expected, took {elapsed:.1f} s"
    assert list(tmp_path.iterdir()) == []
