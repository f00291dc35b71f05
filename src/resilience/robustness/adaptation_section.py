"""The adaptation part of the report section "Is the answer robust?", from the adaptation tables only.

Per panel and episode: how many units each measure covers and its median, or why it is not
measurable, then the exposure coefficients of each measure's model with their p-values. Sentences are
chosen by rules from the numbers (``ALPHA``).
"""

from __future__ import annotations

import pandas as pd

from resilience.report.text import markdown_table
from resilience.robustness.section import ALPHA, num, pct, pval

UNITS = {"share_change": "pp", "diversity_change": "", "hysteresis": "% of trend"}


def value(number, measure: str) -> str:
    """Two decimals, three for diversity (an index between 0 and 1 whose changes are small)."""
    return f"{float(number):.3f}" if measure == "diversity_change" and pd.notna(number) else num(number)


def adaptation_lines(adaptation: pd.DataFrame | None, models: pd.DataFrame | None, info: dict) -> list[str]:
    """Markdown lines of one panel's adaptation subsection (none when the panel has no adaptation tables)."""
    if adaptation is None or models is None:
        return []
    lines = [
        f"#### Adaptation ({info['label']})",
        "",
        "Adaptation compares each unit's production structure after the recovery with the one before the "
        "shock, and its output with the pre-shock trend (hysteresis: negative = still below the old path); "
        "each measure is then modelled on the headline model's pre-shock exposures "
        f"(`results/tables/{info['panel']}_adaptation.csv`, `_adaptation_models.csv`).",
        "",
    ]
    for episode in dict.fromkeys(adaptation["episode"].astype(str)):
        lines += [
            f"- {episode}: "
            + "; ".join(
                measure_sentence(adaptation, episode, m) for m in dict.fromkeys(adaptation["measure"].astype(str))
            )
        ]
    lines.append("")
    table = coefficient_table(models)
    if len(table):
        lines += [markdown_table(table), ""]
    return lines


def measure_sentence(adaptation: pd.DataFrame, episode: str, measure: str) -> str:
    """Coverage and median of one measure in one episode, or why it is not measurable."""
    rows = adaptation[(adaptation["episode"].astype(str) == episode) & (adaptation["measure"] == measure)]
    measured = rows[rows["status"] == "measured"]
    if measured.empty:
        note = rows["note"].iloc[0] if len(rows) else "no row"
        return f"{measure} not measurable ({note})"
    unit = UNITS["hysteresis" if measure.startswith("hysteresis") else measure]
    years = f"{int(measured['year_pre'].iloc[0])}->{int(measured['year_post'].iloc[0])}"
    share_up = (measured["value"] > 0).mean()
    return (
        f"{measure} {years}: median {value(measured['value'].median(), measure)}{(' ' + unit) if unit else ''} over "
        f"{len(measured)} units, {pct(round(share_up, 2))} above zero"
    )


def coefficient_table(models: pd.DataFrame) -> pd.DataFrame:
    """One row per estimated exposure or interaction term (not the controls or the constant)."""
    ok = models[(models["status"] == "estimated") & models["role"].isin(["exposure", "interaction"])]
    if ok.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "episode": ok["episode"],
            "measure": ok["measure"],
            "term": ok["term"],
            "coef": [value(c, m) for c, m in zip(ok["coef"], ok["measure"], strict=True)],
            "se": [value(c, m) for c, m in zip(ok["se"], ok["measure"], strict=True)],
            "p": ok["p"].map(pval),
            "N": ok["nobs"].astype(int).astype(str),
            f"significant at {pct(ALPHA)}": (ok["p"] < ALPHA).map({True: "yes", False: "no"}),
        }
    ).reset_index(drop=True)
