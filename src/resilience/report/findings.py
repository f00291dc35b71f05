"""The report's opening section "Findings" (results/sections/findings.md), from results tables only.

For each hypothesis of the motivating papers (resilience as resisting, recovering and adapting; digital
supply chains and industrial clusters as its sources) and each panel and episode the headline model
covers, one verdict chosen by a rule from the numbers, the headline estimate with its interval and its
robustness checks, with a caveat sentence for every check that fails. Pure functions: tables in,
Markdown out; nothing here types a number.

The claims predict a POSITIVE coefficient on growth for every shock-phase x exposure term: more
digital or more clustered economies fall less in the contraction (resistance) and grow more in the
recovery; the interaction term's claim is that the two reinforce each other (also positive). The
adaptation hypotheses read the model of each panel's headline adaptation measure
(``adaptation.headline_measure``, e.g. hysteresis: a positive coefficient = closer to or above the
pre-shock trend after the recovery) on the same exposures (``findings_checks``).

Verdict rule (``verdict``), at the level ``ALPHA`` of the robustness section:

- *not testable on the data at hand*: the headline model has no finite estimate for the term;
- three significance checks: the model's CR1 95% interval (HC1 for an adaptation cross-section by
  unit) excludes zero (its analytic p-value when the
  table has no such interval; a bootstrap interval it has instead is shown, not used), the wild cluster bootstrap p < ``ALPHA`` (when the table has one) and the size-weighted
  p < ``ALPHA`` (when the robustness stage has a size-weighted estimate of the term);
- *mixed*: the available checks disagree on significance, or a significant size-weighted estimate has
  the other sign;
- *supported*: all available checks significant, the sign the claim predicts;
- *contradicted*: all available checks significant, the opposite sign;
- *not supported*: no check significant.

Caveats (``caveats``), each exactly when its condition holds: the pre-trend test rejects, or there is
none (the robustness stage's reason quoted); the placebo test cannot reach ``ALPHA`` with that few dates
(1/(1+n) > ``ALPHA``) or does not reject; size weighting flips the sign or the significance; a term
significant alone does not survive Romano-Wolf; fewer than ``FEW_CLUSTERS`` clusters (CR1), else fewer
than that in the wild bootstrap. Placebo dates shift the contraction only, so recovery cells have no
placebo caveat; the size-weighted and adjusted tables have no interaction term, so interaction cells
are judged on the CR1 interval and the bootstrap. Further caveats (``findings_checks``): the digital
exposure's correlation with income at or above ``findings_checks.HIGH_CORRELATION``, and a
specification curve where the headline's sign or significance is not shared.

After the verdicts: the size-weighted estimate beside the unweighted one per shock term with the
question each answers (``robustness.section.size_part``), and the caveats with their numbers (income
collinearity, size weighting, few clusters, exposure timing and its placebo, ``robustness.timing``).
``findings_summary`` is the short version for the README (results/findings_summary.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from resilience.report import findings_checks as extra
from resilience.report.text import markdown_table
from resilience.robustness.section import ALPHA, STABLE_SIGN_SHARE, estimated, num, p_is, pct, pval, share

# Below about 40-50 clusters the CR1 t test over-rejects (Cameron and Miller 2015); the wild cluster
# bootstrap, which enters the verdict, is then the check to read.
FEW_CLUSTERS = 42
VERDICTS = ("supported", "not supported", "contradicted", "mixed", "not testable on the data at hand")
ROBUSTNESS_TABLES = ("pretrends", "placebo_summary", "size_weighted", "adjusted_p")
# Tables read when present: the adaptation models, the exposures (income collinearity), the exposure
# timing check and the specification curve's summary.
OPTIONAL_TABLES = ("adaptation_models", "exposures", "exposure_timing", "spec_curve_summary")


@dataclass(frozen=True)
class Hypothesis:
    key: str
    label: str
    phase: str                     # the shock phase of the term: contraction or recovery; or adaptation
    exposures: tuple[str, ...]     # exposure roles: "digital", "cluster" (two: their interaction)


HYPOTHESES = (
    Hypothesis("resistance_digital", "Resistance x digitalization", "contraction", ("digital",)),
    Hypothesis("resistance_cluster", "Resistance x clusters", "contraction", ("cluster",)),
    Hypothesis("recovery_digital", "Recovery x digitalization", "recovery", ("digital",)),
    Hypothesis("recovery_cluster", "Recovery x clusters", "recovery", ("cluster",)),
    Hypothesis("resistance_interaction", "Resistance x digitalization x clusters", "contraction",
               ("digital", "cluster")),
    Hypothesis("recovery_interaction", "Recovery x digitalization x clusters", "recovery", ("digital", "cluster")),
    Hypothesis("adaptation_digital", "Adaptation x digitalization", "adaptation", ("digital",)),
    Hypothesis("adaptation_cluster", "Adaptation x clusters", "adaptation", ("cluster",)),
    Hypothesis("adaptation_interaction", "Adaptation x digitalization x clusters", "adaptation",
               ("digital", "cluster")),
)


def term_of(hypothesis: Hypothesis, episode: str, exposures: dict[str, str]) -> str | None:
    """The model term answering the hypothesis (``contraction_gfc_x_digital_z``; an adaptation model's
    ``digital_z`` or ``digital_z_x_lq_manuf``), None without the exposure."""
    names = [exposures.get(role) for role in hypothesis.exposures]
    if not all(names):
        return None
    return "_x_".join(names if hypothesis.phase == "adaptation" else [f"{hypothesis.phase}_{episode}", *names])


def _finite(value) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _rows(table: pd.DataFrame | None, episode: str | None = None, **equal) -> pd.DataFrame:
    """The rows of a (possibly missing) table for one episode and column values; estimated ones only
    when the table has a status column."""
    if table is None or table.empty:
        return pd.DataFrame()
    rows = table
    if "status" in rows.columns:
        rows = estimated(rows)
    if episode is not None and "episode" in rows.columns:
        rows = rows[rows["episode"].astype(str) == str(episode)]
    for column, value in equal.items():
        if column not in rows.columns:
            return pd.DataFrame()
        rows = rows[rows[column].astype(str) == str(value)]
    return rows


def headline_row(models: pd.DataFrame | None, model: str, term: str | None) -> dict | None:
    """The headline model's row of the term (a dict), None where there is no finite estimate."""
    if term is None or models is None or models.empty:
        return None
    rows = models[(models["model"].astype(str) == model) & (models["term"].astype(str) == term)]
    if rows.empty or not _finite(rows["coef"].iloc[0]):
        return None
    return rows.iloc[0].to_dict()


def evidence(tables: dict[str, pd.DataFrame | None], model: str, hypothesis: Hypothesis, episode: str,
             exposures: dict[str, str], *, adaptation_measure: str | None = None, income: str | None = None) -> dict:
    """Every number the verdict and caveats of one cell use, read from the tables (NaN where absent).
    ``adaptation_measure``: the measure whose model answers the adaptation hypotheses; ``income``: the
    exposure the digital one is correlated with."""
    term = term_of(hypothesis, episode, exposures)
    adapting = hypothesis.phase == "adaptation"
    row = (extra.adaptation_row(tables.get("adaptation_models"), episode, adaptation_measure, term) if adapting
           else headline_row(tables.get("models"), model, term))
    nan = float("nan")
    out = {"term": term, "estimated": row is not None, "coef": nan, "ci_low": nan, "ci_high": nan, "p": nan,
           "p_boot": nan, "n_clusters": nan, "boot_clusters": nan, "ci_kind": "", "pretrend_note": "", "pretrend_p": nan, "pretrend_which": "", "placebo_p": nan,
           "n_placebo": nan, "coef_none": nan, "p_none": nan, "coef_size": nan, "p_size": nan, "p_rw": nan,
           "income_r": nan, "income_n": 0, "measure": adaptation_measure if adapting else "", "reason": "",
           **extra.spec_curve_row(tables.get("spec_curve_summary"), episode, hypothesis.phase, term)}
    if "digital" in hypothesis.exposures:
        out["income_r"], out["income_n"] = extra.income_correlation(tables.get("exposures"), episode,
                                                                    exposures.get("digital"), income)
    if adapting:
        if row is None:
            out["reason"] = extra.not_measurable_reason(tables.get("adaptation_models"), episode, adaptation_measure)
            return out
        for key in ("coef", "ci_low", "ci_high", "p", "n_clusters"):
            out[key] = float(row[key]) if _finite(row.get(key)) else nan
        out["ci_kind"] = str(row.get("cov_type") or "HC1")
        return out
    if row is None:
        return out
    for key in ("coef", "ci_low", "ci_high", "p", "p_boot", "n_clusters", "boot_clusters"):
        out[key] = float(row[key]) if _finite(row.get(key)) else nan
    out["ci_kind"] = "CR1"
    # a table without the analytic interval (the province models) may carry the bootstrap one: shown,
    # while the analytic check falls back to the model's p-value
    if not (_finite(out["ci_low"]) and _finite(out["ci_high"])) and _finite(row.get("ci_low_boot")) \
            and _finite(row.get("ci_high_boot")):
        out["ci_low"], out["ci_high"] = float(row["ci_low_boot"]), float(row["ci_high_boot"])
        out["ci_kind"] = "bootstrap"
    single = len(hypothesis.exposures) == 1
    exposure = exposures[hypothesis.exposures[0]] if single else None
    pre = _rows(tables.get("pretrends"), episode, exposure=exposure) if single else pd.DataFrame()
    if pre.empty:
        pre = _rows(tables.get("pretrends"), episode, exposure="all")
    if len(pre) and _finite(pre["p"].iloc[0]):
        out["pretrend_p"], out["pretrend_which"] = float(pre["p"].iloc[0]), str(pre["exposure"].iloc[0])
    elif tables.get("pretrends") is not None and "note" in tables["pretrends"].columns:
        # the robustness stage says why there is no test (e.g. too few years around the shock)
        notes = tables["pretrends"][tables["pretrends"]["episode"].astype(str) == str(episode)]["note"].dropna()
        out["pretrend_note"] = str(notes.iloc[0]) if len(notes) else ""
    # placebo dates move the contraction only: they speak to resistance, not to recovery
    if single and hypothesis.phase == "contraction":
        out.update(extra.timing_placebo_row(tables.get("exposure_timing"), episode, exposure))
        placebo = _rows(tables.get("placebo_summary"), episode, exposure=exposure)
        if len(placebo) and _finite(placebo["n_placebo"].iloc[0]):
            out["n_placebo"], out["placebo_p"] = int(placebo["n_placebo"].iloc[0]), float(
                placebo["p_randomization"].iloc[0])
    size = _rows(tables.get("size_weighted"), episode, term=term)
    for key in ("coef_none", "p_none", "coef_size", "p_size"):
        if len(size) and key in size.columns and _finite(size[key].iloc[0]):
            out[key] = float(size[key].iloc[0])
    adjusted = _rows(tables.get("adjusted_p"), episode, term=term)
    if len(adjusted) and _finite(adjusted["p_romano_wolf"].iloc[0]):
        out["p_rw"] = float(adjusted["p_romano_wolf"].iloc[0])
    return out


def checks(ev: dict) -> dict[str, tuple[bool, float]]:
    """Per available significance check: (significant, sign of its estimate)."""
    out = {}
    if ev.get("ci_kind") in ("CR1", "HC1") and _finite(ev["ci_low"]) and _finite(ev["ci_high"]):
        out[f"{ev['ci_kind']} interval"] = (ev["ci_low"] > 0 or ev["ci_high"] < 0, math.copysign(1, ev["coef"]))
    elif _finite(ev["p"]):
        out["CR1 p"] = (ev["p"] < ALPHA, math.copysign(1, ev["coef"]))
    if _finite(ev["p_boot"]):
        out["bootstrap"] = (ev["p_boot"] < ALPHA, math.copysign(1, ev["coef"]))
    if _finite(ev["p_size"]) and _finite(ev["coef_size"]):
        out["size-weighted"] = (ev["p_size"] < ALPHA, math.copysign(1, ev["coef_size"]))
    return out


def verdict(ev: dict) -> str:
    """The rule of the module docstring."""
    if not ev["estimated"]:
        return "not testable on the data at hand"
    found = checks(ev)
    if not found:
        return "not testable on the data at hand"
    significant = {name: sig for name, (sig, _) in found.items()}
    if all(significant.values()):
        signs = {sign for _, sign in found.values()}
        if len(signs) > 1:
            return "mixed"
        return "supported" if signs == {1.0} else "contradicted"
    if not any(significant.values()):
        return "not supported"
    return "mixed"


def caveats(ev: dict, hypothesis: Hypothesis) -> list[str]:
    """One sentence per robustness check that fails for this cell (none when all pass or are absent)."""
    if not ev["estimated"]:
        return []
    out = []
    if _finite(ev["pretrend_p"]) and ev["pretrend_p"] < ALPHA:
        which = "joint " if ev["pretrend_which"] == "all" else ""
        out.append(f"the {which}pre-trend test rejects ({p_is(ev['pretrend_p'])}): the gap may continue an "
                   "earlier one")
    if ev.get("pretrend_note"):
        out.append(f"no pre-trend test ({ev['pretrend_note']})")
    if _finite(ev["n_placebo"]):
        n = int(ev["n_placebo"])
        if n == 0 or 1 / (1 + n) > ALPHA:
            smallest = "no placebo date fits" if n == 0 else f"the smallest attainable p is {pval(1 / (1 + n))}"
            out.append(f"the placebo test cannot reach {pct(ALPHA)} with {n} placebo dates ({smallest})")
        elif ev["placebo_p"] > ALPHA:
            out.append(f"estimates this large also turn up at placebo dates ({p_is(ev['placebo_p'])} over {n})")
    if _finite(ev["p_size"]) and _finite(ev["p_none"]):
        sig_none, sig_size = ev["p_none"] < ALPHA, ev["p_size"] < ALPHA
        flips = (sig_none or sig_size) and math.copysign(1, ev["coef_none"]) != math.copysign(1, ev["coef_size"])
        if flips:
            out.append(f"size weighting flips the sign ({num(ev['coef_none'])} unweighted, {num(ev['coef_size'])} "
                       "weighted)")
        elif sig_none != sig_size:
            out.append(f"size weighting changes the significance ({p_is(ev['p_none'])} unweighted, "
                       f"{pval(ev['p_size'])} weighted)")
    single_sig = (_finite(ev["p_boot"]) and ev["p_boot"] < ALPHA) or (_finite(ev["p"]) and ev["p"] < ALPHA)
    if _finite(ev["p_rw"]) and ev["p_rw"] >= ALPHA and single_sig:
        out.append(f"it does not survive Romano-Wolf over the episode's shock terms ({p_is(ev['p_rw'])})")
    if _finite(ev["n_clusters"]) and ev["n_clusters"] < FEW_CLUSTERS:
        out.append(f"only {int(ev['n_clusters'])} clusters (fewer than {FEW_CLUSTERS}): the CR1 interval may be "
                   + ("too narrow, read the bootstrap p" if _finite(ev["p_boot"]) else "too narrow (no bootstrap for this "
                      "estimate)"))
    elif _finite(ev["boot_clusters"]) and ev["boot_clusters"] < FEW_CLUSTERS:
        out.append(f"the wild bootstrap resamples only {int(ev['boot_clusters'])} clusters (fewer than "
                   f"{FEW_CLUSTERS}): its p-value is approximate too")
    return out + extra.timing_caveat(ev) + extra.income_caveat(ev) + extra.spec_curve_caveats(ev, verdict(ev))


def for_episode(info: dict, episode: str) -> dict:
    """A panel's info with the headline of ``episode`` (``by_episode``: episode -> model, exposures, size_series)
    over its panel-wide values: a panel may judge each episode on another model."""
    return {**info, **info.get("by_episode", {}).get(episode, {})}


def cells(tables: dict[str, dict[str, pd.DataFrame | None]], panels: dict[str, dict],
          hypotheses=HYPOTHESES) -> list[dict]:
    """One record per hypothesis x panel x episode: the evidence, its verdict and its caveats."""
    out = []
    for hypothesis in hypotheses:
        for panel, info in panels.items():
            own = tables.get(panel, {})
            for episode in info["episodes"]:
                head = for_episode(info, episode)
                ev = evidence(own, head["model"], hypothesis, episode, head["exposures"],
                              adaptation_measure=info.get("adaptation_measure"), income=info.get("income"))
                out.append({"hypothesis": hypothesis, "panel": panel, "label": info["label"], "episode": episode,
                            "evidence": ev, "verdict": verdict(ev), "caveats": caveats(ev, hypothesis)})
    return out


def _interval(ev: dict) -> str:
    if not ev["estimated"]:
        return "n/a"
    label = {"CR1": "", "HC1": "HC1 "}.get(ev.get("ci_kind"), "bootstrap ")
    ci = (f" {label}[{num(ev['ci_low'])}, {num(ev['ci_high'])}]" if _finite(ev["ci_low"]) and _finite(ev["ci_high"])
          else " (no interval in the table)")
    return num(ev["coef"]) + ci


def summary_table(records: list[dict]) -> pd.DataFrame:
    """The compact table: one row per cell."""
    rows = []
    for r in records:
        ev = r["evidence"]
        placebo = (f"{pval(ev['placebo_p'])} ({int(ev['n_placebo'])} dates)" if _finite(ev["n_placebo"]) else "n/a")
        size = f"{num(ev['coef_size'])} (p {pval(ev['p_size'])})" if _finite(ev["coef_size"]) else "n/a"
        plain = f"{num(ev['coef_none'])} (p {pval(ev['p_none'])})" if _finite(ev["coef_none"]) else "n/a"
        spec = (f"{share(ev['spec_same_sign'])} / {share(ev['spec_significant_same_sign'])} of "
                f"{int(ev['spec_n'])}" if _finite(ev["spec_n"]) else "n/a")
        rows.append({"hypothesis": r["hypothesis"].label, "panel": r["label"], "episode": r["episode"],
                     "coef [95% CI]": _interval(ev), "bootstrap p": pval(ev["p_boot"]),
                     "pre-trend p": pval(ev["pretrend_p"]), "placebo p": placebo, "unweighted": plain,
                     "size-weighted": size, "spec curve: same sign / significant": spec,
                     "Romano-Wolf p": pval(ev["p_rw"]),
                     "clusters": str(int(ev["n_clusters"])) if _finite(ev["n_clusters"]) else "n/a",
                     "caveats": str(len(r["caveats"])), "verdict": r["verdict"]})
    return pd.DataFrame(rows)


def hypothesis_sentence(hypothesis: Hypothesis, records: list[dict]) -> str:
    """One sentence: the verdict per panel and episode, with the estimate, then the caveats that apply."""
    mine = [r for r in records if r["hypothesis"] == hypothesis]
    if not mine:
        return f"**{hypothesis.label}**: not testable on the data at hand (no panel covers it)."
    verdicts = {r["verdict"] for r in mine}
    overall = (f"{mine[0]['verdict']} in every panel and episode" if len(verdicts) == 1
               else "the verdicts differ across panels and episodes")
    parts = []
    for r in mine:
        ev = r["evidence"]
        where = f"{r['label']}, {r['episode']}"
        if not ev["estimated"]:
            source = (f"the {ev['measure']} model" + (f": {ev['reason']}" if ev["reason"] else "")
                      if r["hypothesis"].phase == "adaptation" else "the headline model")
            parts.append(f"{where}: not testable (no estimate of `{ev['term'] or 'the term'}` in {source})")
            continue
        checked = f"bootstrap p {pval(ev['p_boot'])}" if _finite(ev["p_boot"]) else f"p {pval(ev['p'])}"
        measure = f"{ev['measure']}: " if ev["measure"] else ""
        text = f"{where}: {r['verdict']} ({measure}{_interval(ev)}, {checked})"
        if r["verdict"] == "mixed":
            found = checks(ev)
            yes = [name for name, (sig, _) in found.items() if sig]
            no = [name for name, (sig, _) in found.items() if not sig]
            text += f" - significant: {', '.join(yes)}" + (f"; not: {', '.join(no)}" if no else "; signs differ")
            text += _size_dissent(ev, found)
        if r["caveats"]:
            text += "; caveats: " + "; ".join(r["caveats"])
        parts.append(text)
    return f"**{hypothesis.label}**: {overall}. " + ". ".join(parts) + "."


def _size_dissent(ev: dict, found: dict) -> str:
    """When the size-weighted check alone disagrees with the headline model's checks, whether weighting is
    the cause: the same robustness model without weights (its unweighted twin, which differs from the
    headline model in its own ways: see that stage's table) agrees with the weighted estimate, or with the
    headline. Agreement is in significance, and in sign where both are significant; otherwise nothing."""
    if "size-weighted" not in found or not (_finite(ev["p_none"]) and _finite(ev["coef_none"])):
        return ""
    weighted = found["size-weighted"]
    headline = {sig for name, (sig, _) in found.items() if name != "size-weighted"}
    if headline != {not weighted[0]}:
        return ""
    twin = (ev["p_none"] < ALPHA, math.copysign(1, ev["coef_none"]))
    said = f"{'significant too' if twin[0] else 'not significant either'}, {p_is(ev['p_none'])}"
    if twin[0] == weighted[0] and (not twin[0] or twin[1] == weighted[1]):
        return (f" (the size-weighted model's unweighted twin is {said}: the robustness stage's own specification, "
                "not the weighting, makes the difference)")
    headline_sign = math.copysign(1, ev["coef"])
    if twin[0] != weighted[0] and (not twin[0] or twin[1] == headline_sign):
        return (f" (its unweighted twin is {'significant' if twin[0] else 'not significant'}, {p_is(ev['p_none'])}: "
                "the weighting makes the difference)")
    return ""


INTRO = (
    "What the pipeline's own estimates say about the claims of the motivating papers, per panel and episode of each "
    "panel's headline model. The claims predict a positive coefficient: more digital or more clustered units fall "
    "less in the contraction (resistance), grow more in the recovery and adapt better (each panel's headline "
    "adaptation measure, e.g. output closer to its pre-shock trend after the recovery), and the two reinforce each "
    "other (interaction). Verdicts follow one rule (`resilience.report.findings`): **supported** = the predicted "
    "sign with the 95% interval (CR1, or HC1 for a cross-section by unit) excluding zero, the wild cluster "
    "bootstrap p < {alpha:g} and the size-weighted p < {alpha:g} (each where the tables have it); "
    "**contradicted** = the same with the opposite sign; **not supported** = no check significant; **mixed** = the "
    "checks disagree (or size weighting flips a significant sign); **not testable on the data at hand** = no "
    "estimate. Caveats name the robustness checks that fail (pre-trends rejected, a placebo test that cannot reach "
    "{level} or does not reject, size weighting changing the answer, no survival after Romano-Wolf, fewer than "
    "{few} clusters, a digital exposure correlated {high:g} or more with income, a specification curve where fewer "
    "than {same} of the specifications share the headline model's sign, and where the curve's own baseline "
    "specification has the opposite sign). Numbers are read from `results/tables/{{panel}}_models.csv` "
    "(the headline model, with its controls), the robustness tables (`{{panel}}_pretrends`, `_placebo_summary`, "
    "`_size_weighted`, `_adjusted_p`, whose models leave the controls and the exposure interaction out, so their "
    "unweighted estimates can differ from the headline), `{{panel}}_adaptation_models` and, where the workflow "
    "makes it, `{{panel}}_spec_curve_summary`. The papers' own numbers, set beside their regeneration, are in the "
    "section [The papers' numbers, regenerated](#the-papers-numbers-regenerated).")


def findings_section(tables: dict[str, dict[str, pd.DataFrame | None]], panels: dict[str, dict]) -> str:
    """Markdown of the section. ``tables``: panel -> name (``models``, ``ROBUSTNESS_TABLES``, ``OPTIONAL_TABLES``)
    -> frame or None (missing); ``panels``: panel -> label, model (headline), episodes, exposures (role ->
    exposure name) and optionally adaptation_measure, income, unit_label, size_series and by_episode (episode ->
    the model, exposures and size_series of that episode's headline where they differ per episode)."""
    records = cells(tables, panels)
    lines = ["## Findings", "", INTRO.format(alpha=ALPHA, level=pct(ALPHA), few=FEW_CLUSTERS,
                                             high=extra.HIGH_CORRELATION, same=share(STABLE_SIGN_SHARE)), ""]
    for hypothesis in HYPOTHESES:
        lines += ["- " + hypothesis_sentence(hypothesis, records)]
    lines.append("")
    table = summary_table(records)
    if len(table):
        lines += [markdown_table(table), ""]
    lines += size_lines(tables, panels) + caveat_lines(tables, panels, records)
    return "\n".join(lines).rstrip() + "\n"


def size_lines(tables: dict, panels: dict[str, dict]) -> list[str]:
    """Per panel and episode, each shock term unweighted beside size-weighted, with the rule's reading."""
    lines = ["### Size weighting: which question each estimate answers", "",
             "An unweighted estimate answers how the typical unit fared (each economy, region or province counts "
             "once); a size-weighted one answers how the units fared where the output is (the panel's size "
             "series at the exposure year). Both come from the robustness stage's model (unit and year effects, "
             "no controls) on the same sample.", ""]
    for panel, info in panels.items():
        rows = _rows(tables.get(panel, {}).get("size_weighted"))
        unit = info.get("unit_label", "unit")
        for episode in info["episodes"]:
            own = rows[rows["episode"].astype(str) == str(episode)] if len(rows) else rows
            if own.empty:
                why = _note(tables.get(panel, {}).get("size_weighted"), episode)
                lines.append(f"- {info['label']}, {episode}: no size-weighted estimate ({why}).")
                continue
            series = for_episode(info, episode).get("size_series")
            parts = [size_part(r, unit, series) for r in own.itertuples()]
            lines.append(f"- {info['label']}, {episode}: " + " ".join(parts))
    return lines + [""]


def caveat_lines(tables: dict, panels: dict[str, dict], records: list[dict]) -> list[str]:
    """The caveats with their numbers: income collinearity, size weighting, few clusters, exposure timing."""
    return ["### Caveats with their numbers", "", income_line(tables, panels), size_line(records),
            clusters_line(records), timing_line(tables, panels), ""]


def income_line(tables: dict, panels: dict[str, dict]) -> str:
    parts = [extra.income_sentence(info["label"], episode, *extra.income_correlation(
                 tables.get(panel, {}).get("exposures"), episode, for_episode(info, episode)["exposures"].get("digital"),
                 info.get("income")))
             for panel, info in panels.items() for episode in info["episodes"]]
    return ("- **Income collinearity** (correlation across units of the digital exposure with log GDP per capita at "
            "the pre-shock year): " + "; ".join(parts) + ".")


def size_line(records: list[dict]) -> str:
    sized = [r for r in records if _finite(r["evidence"]["p_size"])]
    changed = [r for r in sized if any(c.startswith("size weighting") for c in r["caveats"])]
    which = "; ".join(f"{r['hypothesis'].label} ({r['label']}, {r['episode']})" for r in changed)
    return (f"- **Size weighting**: of {len(sized)} cells with a size-weighted estimate, {len(changed)} change sign "
            "or significance with size weights" + (f": {which}" if changed else "") + ".")


def clusters_line(records: list[dict]) -> str:
    """The estimates with fewer than FEW_CLUSTERS clusters, each named by panel, episode and the hypotheses
    (cells of Table 1) it tests."""
    few: dict[tuple[str, str, int], list[str]] = {}
    for r in records:
        n = r["evidence"]["n_clusters"]
        if _finite(n) and n < FEW_CLUSTERS:
            few.setdefault((r["label"], str(r["episode"]), int(n)), []).append(r["hypothesis"].label)
    if not few:
        return f"- **Few clusters**: every estimate has at least {FEW_CLUSTERS} clusters."
    return ("- **Few clusters**: " + "; ".join(f"{label}, {episode} ({', '.join(cells)}): {n} clusters"
                                               for (label, episode, n), cells in sorted(few.items()))
            + f" (fewer than "
            f"{FEW_CLUSTERS}: CR1 intervals may be too narrow; the wild bootstrap, where a table has it, is the check "
            "to read).")


def timing_line(tables: dict, panels: dict[str, dict]) -> str:
    timing = [line for panel, info in panels.items()
              for line in timing_sentences(tables.get(panel, {}).get("exposure_timing"), info["label"])]
    return "- **Exposure timing and mean reversion**: " + ("; ".join(timing) if timing else "no exposure timing table") + "."


def timing_sentences(table: pd.DataFrame | None, label: str) -> list[str]:
    # imported here: the timing module reads this module's number formats
    from resilience.robustness.timing import timing_sentences as sentences
    return sentences(table, label)


def size_part(row, unit: str, series: str | None) -> str:
    from resilience.robustness.section import size_part as part
    return part(row, unit, series)


def _note(table: pd.DataFrame | None, episode: str) -> str:
    if table is None or table.empty or "note" not in table.columns:
        return "no size-weighted table"
    notes = table[table["episode"].astype(str) == str(episode)]["note"].dropna()
    return str(notes.iloc[0]) if len(notes) else "no row for this episode"


def findings_summary(tables: dict[str, dict[str, pd.DataFrame | None]], panels: dict[str, dict]) -> str:
    """The short version (``results/findings_summary.md``): one line per hypothesis with its verdict in each
    panel and episode and the estimate, then where the full section is."""
    records = cells(tables, panels)
    lines = ["# Findings in brief", "",
             "Generated by the pipeline (rule findings_summary) from the results tables; the full section with "
             "intervals, robustness checks and caveats is `results/sections/findings.md` (the top of "
             "`results/report.md`). The claims predict a positive sign.", ""]
    for hypothesis in HYPOTHESES:
        mine = [r for r in records if r["hypothesis"] == hypothesis]
        parts = [f"{r['label']} {r['episode']}: {r['verdict']}"
                 + (f" ({_interval(r['evidence'])})" if r["evidence"]["estimated"] else "") for r in mine]
        lines.append(f"- **{hypothesis.label}**: " + ("; ".join(parts) if parts else "no panel covers it") + ".")
    return "\n".join(lines).rstrip() + "\n"
