"""The tests on the real mirror skip when it is absent, except under CI, where they fail."""

from __future__ import annotations

import pytest

from tests.real_mirror import MIRROR_DIR, require_mirror


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_absent_mirror_fails_under_ci(tmp_path, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match=rf"{tmp_path}/nowhere is absent, and CI is set"):
        require_mirror(tmp_path / "nowhere")


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_absent_mirror_skips_outside_ci(tmp_path, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match=rf"{tmp_path}/nowhere is absent"):
        require_mirror(tmp_path / "nowhere")


def test_present_mirror_is_returned_under_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_mirror(tmp_path) == tmp_path


def test_the_mirror_path_is_the_shared_folder_beside_the_checkout():
    assert MIRROR_DIR.parts[-2:] == ("shared", "raw-snapshots")
