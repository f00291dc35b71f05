"""CITATION.cff is a Citation File Format 1.2.0 file whose version and licence are pyproject.toml's,
so a release bump that forgets one of the two fails here."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def load_citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_citation_version_and_licence_are_pyprojects():
    citation = load_citation()
    # Quoted in the file: YAML would read an unquoted 1.10 as the float 1.1.
    assert isinstance(citation["version"], str)
    assert citation["version"] == project()["version"]
    assert citation["license"] == project()["license"]


def test_citation_has_the_keys_cff_1_2_0_requires():
    citation = load_citation()
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title"):
        assert isinstance(citation[key], str) and citation[key].strip(), key
    assert citation["authors"], "CFF requires at least one author"
    for author in citation["authors"]:
        # An entity author has a name; a person has family and given names.
        assert author.get("name") or author.get("family-names"), author
    assert citation.get("type", "software") in {"software", "dataset"}


def test_licence_file_is_the_mit_licence_of_the_contributors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 The resilience pipeline contributors" in text
