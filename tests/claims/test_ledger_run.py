"""The ledger on a synthetic run: every selector resolves; a missing results cell names its claim."""

import copy
from pathlib import Path

import pandas as pd
import pytest

from resilience.claims.ledger import load_ledger, result_files
from resilience.claims.section import LEDGER_COLUMNS, ledger_table, section_markdown
from resilience.claims.selectors import ResultsCellError, resolve
from resilience.claims.verdicts import VERDICTS
from resilience.context.divide.analysis import DIVIDE_COLUMNS, LATEST_COLUMNS
from resilience.context.divide.itu import OFFLINE_COLUMNS
from resilience.context.game.paper import CHECK_COLUMNS
from resilience.context.manufacturing.share import SHARE_COLUMNS as MVA_COLUMNS
from resilience.context.risk.trend import TREND_COLUMNS
from resilience.context.trade.analysis import ANNUAL_COLUMNS, LARGEST_COLUMNS, QUARTERLY_COLUMNS, SHARE_COLUMNS
from resilience.context.trade.growth import GROWTH_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
# The columns each results table has when the producing rule writes it.
COLUMNS = {
    "trade_partner_annual.csv": ANNUAL_COLUMNS,
    "trade_partner_quarterly.csv": QUARTERLY_COLUMNS,
    "trade_largest_partners.csv": LARGEST_COLUMNS,
    "trade_china_share.csv": SHARE_COLUMNS,
    "trade_partner_growth.csv": GROWTH_COLUMNS,
    "digital_divide.csv": DIVIDE_COLUMNS,
    "digital_divide_latest.csv": LATEST_COLUMNS,
    "digital_divide_itu.csv": OFFLINE_COLUMNS,
    "complex_risk_trend.csv": TREND_COLUMNS,
    "backup_game_paper_checks.csv": CHECK_COLUMNS,
    "manufacturing_world_share.csv": MVA_COLUMNS,
    "china_models.csv": ["model", "term", "coef", "se", "t", "p", "p_boot"],
}
FILL = 0.5


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(ROOT / "config" / "claims.yaml", ROOT / "config" / "claims_schema.yaml")


def synthetic_run(ledger) -> dict[str, pd.DataFrame]:
    """One row per selector, in the producing table's columns: the filter values, FILL elsewhere, and a
    decoy row per table that no selector names."""
    rows = {name: [] for name in result_files(ledger)}
    for claim in ledger["claims"]:
        if "selector" in claim:
            sel = claim["selector"]
            rows[sel["file"]].append(dict(sel.get("where", {})))
    tables = {}
    for name, wanted in rows.items():
        frame = pd.DataFrame([{c: FILL for c in COLUMNS[name]} | w for w in _unique(wanted)], columns=COLUMNS[name])
        decoy = pd.DataFrame([{c: "decoy" for c in COLUMNS[name]}])
        tables[name] = pd.concat([frame, decoy], ignore_index=True)
    return tables


def _unique(rows):
    seen, out = set(), []
    for row in rows:
        key = tuple(sorted(row.items()))
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def test_every_results_file_has_its_producer_columns(ledger):
    assert set(result_files(ledger)) <= set(COLUMNS)


def test_every_selector_resolves_on_a_synthetic_run(ledger):
    tables = synthetic_run(ledger)
    table = ledger_table(ledger, tables)
    assert list(table.columns) == LEDGER_COLUMNS
    assert len(table) == len(ledger["claims"])
    assert set(table["verdict"]) <= set(VERDICTS)
    with_cell = table[table["results_cell"] != ""]
    assert (with_cell["regenerated_value"].notna()).all()
    text = section_markdown(table, ledger["papers"], "config/claims.yaml")
    assert text.startswith("## The papers' numbers, regenerated")
    assert all(cid in text for cid in table["claim"])


def test_missing_results_cell_names_the_claim(ledger):
    tables = synthetic_run(ledger)
    claim = next(c for c in ledger["claims"] if c["id"] == "us_imports_china_share_2017")
    annual = tables["trade_partner_annual.csv"]
    tables["trade_partner_annual.csv"] = annual[annual["year"] != 2017]
    with pytest.raises(
        ResultsCellError, match="claim us_imports_china_share_2017: trade_partner_annual.csv .* matches 0 rows"
    ):
        ledger_table(ledger, tables)
    with pytest.raises(ResultsCellError, match="no column"):
        resolve({**claim, "selector": {**claim["selector"], "column": "share_pct"}}, tables)
    del tables["trade_partner_annual.csv"]
    with pytest.raises(ResultsCellError, match="claim us_imports_china_share_2017: results table"):
        resolve(claim, tables)


def test_selector_on_a_csv_round_trip(tmp_path):
    """Filters match what read_csv gives back: integer years, text periods, and empty cells."""
    frame = pd.DataFrame(
        {
            "partner": ["CHN", "CHN", "MEX"],
            "period": ["2018Q4", "2023Q3", "2018Q4"],
            "year": [2018, 2023, 2018],
            "ratio": [1.0, None, 0.61],
        }
    )
    path = tmp_path / "q.csv"
    frame.to_csv(path, index=False)
    tables = {"q.csv": pd.read_csv(path, keep_default_na=False, na_values=[""])}
    claim = {"id": "ratio", "selector": {"file": "q.csv", "where": {"partner": "MEX", "year": 2018}, "column": "ratio"}}
    assert resolve(claim, tables) == pytest.approx(0.61)
    empty = copy.deepcopy(claim)
    empty["selector"]["where"] = {"partner": "CHN", "period": "2023Q3"}
    assert resolve(empty, tables) is None
    both = copy.deepcopy(claim)
    both["selector"]["where"] = {"period": "2018Q4"}
    with pytest.raises(ResultsCellError, match="matches 2 rows"):
        resolve(both, tables)


def test_findings_link_reaches_the_claims_section(ledger):
    from resilience.report.build import render_html
    from resilience.report.findings import findings_section

    findings = findings_section({}, {})
    target = findings.split("[The papers' numbers, regenerated](#")[1].split(")")[0]
    claims = section_markdown(ledger_table(ledger, synthetic_run(ledger)), ledger["papers"], "config/claims.yaml")
    assert f'<h2 id="{target}">' in render_html(findings + "\n" + claims)


def test_missing_cells_report_lists_the_claim_instead(ledger):
    tables = synthetic_run(ledger)
    annual = tables["trade_partner_annual.csv"]
    tables["trade_partner_annual.csv"] = annual[annual["year"] != 2017]
    table = ledger_table(ledger, tables, missing_cells="report").set_index("claim")
    row = table.loc["us_imports_china_share_2017"]
    assert row["verdict"] == "not regenerable"
    assert "this run has no such results cell" in row["reason"] and "matches 0 rows" in row["reason"]
    # a selector naming a column the table lacks is a ledger mistake either way
    del tables["trade_partner_annual.csv"]["share_of_us_imports_pct"]
    with pytest.raises(ResultsCellError, match="no column"):
        ledger_table(ledger, tables, missing_cells="report")


def test_show_quotes_the_numbers_behind_a_yes_or_no():
    from resilience.claims.section import claim_row

    trend = pd.DataFrame(
        {"key": ["gpr"], "period": ["2008-2019"], "previous_mean": [107.33], "mean": [92.07], "rose": [False]}
    )
    claim = {
        "id": "gpr_rose",
        "paper": "p",
        "kind": "regenerable",
        "quote": "q",
        "published": {"value": True},
        "selector": {
            "file": "trend.csv",
            "where": {"key": "gpr", "period": "2008-2019"},
            "column": "rose",
            "show": ["previous_mean", "mean"],
        },
        "compare": {"type": "equal"},
        "why_different": "it fell",
    }
    row = claim_row(claim, {"trend.csv": trend})
    assert row["verdict"] == "contradicted"
    assert row["reason"].endswith("; trend.csv: previous_mean 107.33, mean 92.07")


def test_live_source_claim_without_its_period_row_waits_for_the_live_data(ledger):
    """Offline the HS-section rows have no year; a live vintage of 2024 is not the paper's 2023: both
    wait for the live data of the claim's year, in either missing_cells mode."""
    tables = synthetic_run(ledger)
    share = tables["trade_china_share.csv"]
    tables["trade_china_share.csv"] = share.assign(
        latest_year=share["latest_year"].where(share["scope"] != "HS section", 2024)
    )
    for mode in ("error", "report"):
        row = ledger_table(ledger, tables, missing_cells=mode).set_index("claim").loc["hs_xx_china_share_2023"]
        assert row["verdict"] == "needs the live source"
        assert "no row for the claim's period on this run" in row["reason"] and "latest_year = 2023" in row["reason"]
