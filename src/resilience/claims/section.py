"""The ledger table (``claims_ledger.csv``) and the report section "The papers' numbers, regenerated"."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from resilience.claims.selectors import MissingCellError, resolve
from resilience.claims.ledger import LIVE_SOURCE
from resilience.claims.verdicts import CONTRADICTED, DIFFERS, NOT_REGENERABLE, VERDICTS, Verdict, judge, without_value
from resilience.report.text import fmt_signed, markdown_table

LEDGER_COLUMNS = [
    "claim",
    "paper",
    "kind",
    "quote",
    "published_value",
    "unit",
    "period",
    "regenerated_value",
    "difference",
    "verdict",
    "reason",
    "results_cell",
]


def _cell_name(claim: dict) -> str:
    if "selector" not in claim:
        return ""
    sel = claim["selector"]
    where = ", ".join(f"{k}={v}" for k, v in sel.get("where", {}).items())
    return f"{sel['file']} [{where}] {sel['column']}"


MISSING_CELLS = ("error", "report")


def _verdict(claim: dict, tables: dict[str, pd.DataFrame], missing_cells: str) -> Verdict:
    if "selector" not in claim:
        return judge(claim)
    try:
        regenerated = resolve(claim, tables)
    except MissingCellError as error:
        if claim["kind"] == LIVE_SOURCE:
            # the row for the claim's period comes only with the live data (an offline run, or a live
            # vintage of another year): the claim waits for them
            waiting = without_value(claim)
            return replace(waiting, reason=f"{waiting.reason}; no row for the claim's period on this run ({error})")
        if missing_cells == "error":
            raise
        return Verdict(NOT_REGENERABLE, reason=f"this run has no such results cell ({error})")
    extra = None
    extra_column = claim["compare"].get("p_column") or claim["compare"].get("steady_column")
    if extra_column and regenerated is not None:
        extra = _other_column(claim, tables, extra_column)
    verdict = judge(claim, regenerated, extra)
    shown = claim["selector"].get("show", [])
    if not shown or regenerated is None:
        return verdict
    numbers = ", ".join(f"{column} {_shown(_other_column(claim, tables, column))}" for column in shown)
    return replace(verdict, reason=f"{verdict.reason}; {claim['selector']['file']}: {numbers}")


def _other_column(claim: dict, tables: dict[str, pd.DataFrame], column: str):
    """Another cell of the row the claim's selector names."""
    return resolve({**claim, "selector": {**claim["selector"], "column": column}}, tables)


def claim_row(claim: dict, tables: dict[str, pd.DataFrame], missing_cells: str = "error") -> dict:
    """The ledger row of one claim. ``missing_cells``: ``error`` (a selector matching no row stops the
    run, naming the claim) or ``report`` (the row says the run has no such cell: for runs whose data do
    not reach the papers' periods)."""
    verdict = _verdict(claim, tables, missing_cells)
    published = claim["published"]
    return {
        "claim": claim["id"],
        "paper": claim["paper"],
        "kind": claim["kind"],
        "quote": claim["quote"],
        "published_value": published["value"],
        "unit": published.get("unit", ""),
        "period": published.get("period", ""),
        "regenerated_value": verdict.regenerated,
        "difference": verdict.difference,
        "verdict": verdict.verdict,
        "reason": verdict.reason,
        "results_cell": _cell_name(claim),
    }


def ledger_table(ledger: dict, tables: dict[str, pd.DataFrame], missing_cells: str = "error") -> pd.DataFrame:
    """One row per claim, in the ledger's order (papers, then the order the claims appear in)."""
    if missing_cells not in MISSING_CELLS:
        raise ValueError(f"missing_cells must be one of {MISSING_CELLS}, got {missing_cells!r}")
    return pd.DataFrame([claim_row(c, tables, missing_cells) for c in ledger["claims"]], columns=LEDGER_COLUMNS)


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    counts = table["verdict"].value_counts()
    return pd.DataFrame({"verdict": list(VERDICTS), "claims": [int(counts.get(v, 0)) for v in VERDICTS]})


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return fmt_signed(value) if isinstance(value, float) else str(value)


def section_markdown(table: pd.DataFrame, papers: dict, ledger_path: str) -> str:
    counts = verdict_counts(table)
    regenerable = int((table["kind"] == "regenerable").sum())
    summary = "; ".join(f"{r.verdict}: {r.claims}" for r in counts.itertuples(index=False))
    lines = [
        "## The papers' numbers, regenerated",
        "",
        f"Every quantitative claim of the five motivating papers, and the qualitative claims the models test, "
        f"beside its regeneration from this run's results tables ({len(table)} claims, {regenerable} "
        f"regenerable from public data here). The ledger, with each claim's quotation, published value, "
        f"tolerance and the results cell that regenerates it, is `{ledger_path}`; the verdicts are in "
        f"`results/tables/claims_ledger.csv`. Verdicts: {summary}.",
        "",
        "Papers: " + "; ".join(f"`{key}` {paper['citation']}" for key, paper in papers.items()) + ".",
        "",
    ]
    shown = pd.DataFrame(
        {
            "claim": table["claim"],
            "paper": table["paper"],
            "published": [
                f"{_shown(v)} {u}".strip() + (f" ({p})" if p else "")
                for v, u, p in zip(table["published_value"], table["unit"], table["period"])
            ],
            "regenerated": table["regenerated_value"].map(_shown),
            "difference": table["difference"].map(_shown),
            "verdict": table["verdict"],
        }
    )
    lines += [markdown_table(shown), ""]
    differing = table[table["verdict"].isin([DIFFERS, CONTRADICTED])]
    if len(differing):
        lines += ["Reading the claims that differ or are contradicted:", ""]
        lines += [f"- `{r.claim}` ({r.verdict}): {r.reason}." for r in differing.itertuples(index=False)]
        lines += [""]
    return "\n".join(lines).rstrip() + "\n"
