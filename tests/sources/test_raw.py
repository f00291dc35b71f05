"""raw.obtain / check_reachable: offline without a mirror fails at once with the remedy."""

import socket

import pytest

from resilience.errors import DownloadError
from resilience.sources.raw import check_reachable, obtain

ROW = {"dataset": "wdi_sp_pop_totl", "live_method": "wb_api",
       "live_url": "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL",
       "mirror_path": "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv"}


def offline(host, port):
    raise socket.gaierror(-2, "Name or service not known")


def test_unresolvable_host_names_dataset_url_and_mirror_remedy():
    with pytest.raises(DownloadError) as error:
        check_reachable(ROW, resolve=offline)
    message = str(error.value)
    assert message.startswith("dataset wdi_sp_pop_totl: cannot reach api.worldbank.org to download "
                              "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL")
    assert "make all RAW_MIRROR=/path/to/raw-snapshots" in message
    assert "<mirror>/wdi/API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv" in message


def test_resolvable_host_passes():
    calls = []
    check_reachable(ROW, resolve=lambda host, port: calls.append((host, port)))
    assert calls == [("api.worldbank.org", 443)]


def test_obtain_offline_fails_before_any_download_even_for_optional(tmp_path, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", offline)
    monkeypatch.setattr("resilience.sources.raw.check_reachable.__defaults__", (offline,))
    with pytest.raises(DownloadError, match="cannot reach api.worldbank.org"):
        obtain(ROW, tmp_path / "raw", mirror=None, optional=True, download={"retries": 5, "backoff_factor": 2.0})
    assert not (tmp_path / "raw").exists()
