"""A context analysis whose sources cannot be had live must not stop the run.

Only the panels' core series are required; every dataset read only by a context analysis (trade
diversion, complex risk, value-chain position) is optional, so a publisher's refusal becomes an
'unavailable' manifest carrying the publisher's reason, and the analysis writes its tables, figures
and report section saying what is missing. Shown here for trade diversion with every source refused
by a fake transport (UN Comtrade answering 400, Census 404).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.sources.fake_transport import Canned, FakeTransport, session_with
from resilience.catalog import read_catalog
from resilience.context.risk.checks import risk_datasets
from resilience.context.trade import analysis as trade
from resilience.figures.trade import china_share_figure, partner_ratios_figure
from resilience.sources import trade_api
from resilience.sources.fetch import acquire

REPO = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
CATALOG = read_catalog(REPO / "config" / "sources.csv")
CFG = CONFIG["trade_diversion"]


def context_only_datasets() -> set[str]:
    context = set(trade.trade_datasets(CFG)) | set(risk_datasets(CONFIG["complex_risk"]))
    context |= set(CONFIG["gvc"]["datasets"].values())
    panel_series = {source["dataset"] for block in CONFIG["series"].values() for source in block["sources"]}
    return context - panel_series


def test_every_context_only_dataset_is_optional():
    required = context_only_datasets() - set(CONFIG["sources"]["optional"])
    assert not required, f"context datasets a live refusal would stop the run on: {sorted(required)}"
    assert {"comtrade_us_china_total", "comtrade_china_us_total", "census_country_xlsx"} <= context_only_datasets()


# Every trade source's host refuses: Comtrade with its JSON error object, Census with a plain 404.
REFUSALS = {
    trade_api.COMTRADE_PREVIEW: Canned(
        400,
        json.dumps({"statusCode": 400, "message": "Invalid parameter period"}),
        {"Content-Type": "application/json"},
    ),
    "https://api.census.gov/": Canned(404, "Not Found", {"Content-Type": "text/plain"}),
    "https://www.census.gov/": Canned(404, "Not Found", {"Content-Type": "text/plain"}),
}


def test_trade_diversion_without_any_live_source_writes_its_outputs_and_says_why(tmp_path):
    names = trade.trade_datasets(CFG)
    rows = {name: CATALOG.loc[name].to_dict() for name in names}
    transport = FakeTransport(REFUSALS)
    dirs = {}
    for name, row in rows.items():
        dest = tmp_path / "raw" / name
        entry = acquire(
            row, dest_dir=dest, optional=name in CONFIG["sources"]["optional"], session=session_with(transport)
        )
        assert entry["status"] == "unavailable", name
        dirs[name] = str(dest)
    manifest = json.loads((tmp_path / "raw" / "comtrade_us_china_total" / "manifest.json").read_text(encoding="utf-8"))
    assert "HTTP 400" in manifest["message"] and "Invalid parameter period" in manifest["message"]
    results = trade.build(trade.load_sources(dirs), trade.read_hs_sections(REPO / CFG["hs_sections"]), CFG)
    assert results.annual.empty and results.quarterly.empty and results.mirror.empty
    assert set(results.sources["status"]) == {"unavailable"}
    text = trade.section_markdown(
        results.annual, results.quarterly, results.china_share, results.mirror, results.sources, CFG
    )
    assert text.startswith("## Trade diversion") and "`comtrade_us_china_total`" in text
    partner_ratios_figure(results.quarterly, results.annual, CFG["china"], trade.labels(CFG))
    china_share_figure(results.annual, results.china_share, CFG["china"], CFG["base_year"])
