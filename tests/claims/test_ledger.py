"""The ledger: the project's ledger validates; mistakes fail with the claim's id."""

import copy
from pathlib import Path

import pytest
import yaml

from resilience.claims.ledger import KINDS, load_ledger, result_files, validate_ledger
from resilience.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
LEDGER = ROOT / "config" / "claims.yaml"
SCHEMA = ROOT / "config" / "claims_schema.yaml"


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(LEDGER, SCHEMA)


@pytest.fixture(scope="module")
def schema():
    return yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))


def test_project_ledger_covers_the_five_papers_and_every_kind(ledger):
    assert len(ledger["papers"]) == 5
    assert {c["paper"] for c in ledger["claims"]} == set(ledger["papers"])
    assert {c["kind"] for c in ledger["claims"]} == set(KINDS)
    assert sum(c["kind"] == "regenerable" for c in ledger["claims"]) >= 15
    assert "trade_partner_annual.csv" in result_files(ledger)


def _broken(ledger, index, **change):
    out = copy.deepcopy(ledger)
    out["claims"][index].update(change)
    return out


def test_duplicate_id_names_the_claim(ledger, schema):
    dup = copy.deepcopy(ledger)
    dup["claims"].append(copy.deepcopy(dup["claims"][0]))
    with pytest.raises(ConfigError, match=f"claim {dup['claims'][0]['id']}: the id is used twice"):
        validate_ledger(dup, schema)


def test_unknown_paper_names_the_claim(ledger, schema):
    with pytest.raises(ConfigError, match=f"claim {ledger['claims'][0]['id']}: paper 'nobody_2020'"):
        validate_ledger(_broken(ledger, 0, paper="nobody_2020"), schema)


def test_documentary_claim_needs_a_citation(ledger, schema):
    index = next(i for i, c in enumerate(ledger["claims"]) if c["kind"] == "documentary")
    broken = copy.deepcopy(ledger)
    del broken["claims"][index]["citation"]
    with pytest.raises(ConfigError, match="needs the field 'citation'"):
        validate_ledger(broken, schema)


def test_schema_error_names_the_claim_and_field(ledger, schema):
    cid = ledger["claims"][3]["id"]
    with pytest.raises(ConfigError, match=f"claim {cid}.kind"):
        validate_ledger(_broken(ledger, 3, kind="hearsay"), schema)


def test_number_comparison_needs_a_tolerance(ledger, schema):
    index = next(i for i, c in enumerate(ledger["claims"]) if c.get("compare", {}).get("type") == "number")
    with pytest.raises(ConfigError, match="tolerance"):
        validate_ledger(_broken(ledger, index, compare={"type": "number"}), schema)
