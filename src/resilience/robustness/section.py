"""The report section "Is the answer robust?" (results/sections/robustness.md), from the robustness tables only.

Per panel and episode of its headline model: the contraction estimates unweighted beside their
size-weighted versions, the pre-trend test, the placebo p-values and the adjusted p-values. Every
verdict is picked by a rule from the numbers (``ALPHA``), never typed: each ``*_sentence`` function
returns the sentence its rule chooses.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from resilience.episode_settings import for_episode
from resilience.report.text import fmt_signed, markdown_table
from resilience.robustness.stage import TABLES

ALPHA = 0.05
FIGURES = {"event_study": "Event study", "local_projections": "Local projections", "placebo": "Placebo dates"}


def robustness_section(tables: dict[str, dict[str, pd.DataFrame]], panels: dict[str, dict]) -> str:
    """Markdown of the section. ``tables``: panel -> table name (``stage.TABLES``, optionally ``adaptation``
    and ``adaptation_models``) -> frame; ``panels``:
    panel -> label, headline_model (a name, or a mapping episode -> name), unit_label, size_series (None without
    a size measure; a mapping episode -> series where it differs by episode)."""
    lines = ["## Is the answer robust?", "",
             "Each panel's headline model (growth on shock x pre-shock exposure, exposures in standard deviations, "
             "without its controls) faces five checks: an event study with a joint pre-trend test, local "
             "projections of cumulative growth, placebo shock dates and size weighting (unit and year effects), "
             "and p-values adjusted for testing the episode's shock terms together (the model's own fixed "
             f"effects). Verdicts use the {pct(ALPHA)} level. After them, each panel's adaptation: structural change "
             "and the distance to the pre-shock trend after the recovery, modelled on the same exposures.", ""]
    if any("spec_curve_summary" in tables[p] for p in panels):
        lines += ["A specification curve re-estimates it over the choices a referee would question (outcome, "
                  "growth or, as a cross-section of units, the Martin index of the phase in pp or as a ratio; "
                  "benchmark, digital and cluster measure, controls, fixed effects, weights, sample, exposure year "
                  "and shock dates, as far as each panel's data allow; its baseline specification takes the first "
                  "value of every choice) and counts how many specifications keep the sign and significance of "
                  "the headline model's estimate (a term is called robust when at least "
                  f"{share(ROBUST_SHARE)} are significant with its sign, its sign stable when at least "
                  f"{share(STABLE_SIGN_SHARE)} share it). Where the baseline's sample or terms differ from the "
                  "headline model's, each episode says how.", ""]
    for panel, info in panels.items():
        own = tables[panel]
        lines += [f"### {info['label']}: {headline_label(info['headline_model'])}", ""]
        for episode in episodes_of(own):
            lines += episode_lines(panel, info, own, episode)
        lines += adaptation_lines(own.get("adaptation"), own.get("adaptation_models"), {**info, "panel": panel})
    return "\n".join(lines).rstrip() + "\n"


def adaptation_lines(adaptation, models, info: dict) -> list[str]:
    # imported here: adaptation_section imports this module's helpers
    from resilience.robustness.adaptation_section import adaptation_lines as lines
    return lines(adaptation, models, info)


SPEC_CURVE = ("spec_curve_summary", "spec_curve_collinearity")
# A term's curve is called robust when at least this share of the specifications is significant with
# the headline's sign. Its sign is stable when at least STABLE_SIGN_SHARE has that sign: one threshold
# for this section and the Findings' caveats, so a cell is never stable in one and fragile in the other.
ROBUST_SHARE = 0.5
STABLE_SIGN_SHARE = 0.9
# |correlation| at or above which the exposure and income are called strongly collinear (moderately from MODERATE).
STRONG, MODERATE = 0.7, 0.4


def spec_curve_sentence(rows: pd.DataFrame) -> str:
    """Per headline term of the episode: median, shares with the headline's sign and significant, a verdict."""
    ok = rows[rows["n_specs"] > 0] if len(rows) else rows
    if ok.empty:
        return "Specification curve: no specification is estimable for this episode (no unit has the exposures)."
    parts = []
    for r in ok.sort_values(["phase", "term"], ascending=[False, True]).itertuples():
        if not math.isfinite(float(r.headline_estimate)):
            parts.append(f"{term_label(r.term)} ({r.phase}): no headline estimate to count its sign against")
            continue
        head = (f"{term_label(r.term)} ({r.phase}): headline {num(r.headline_estimate)}, median {num(r.median_estimate)}"
                f" over {int(r.n_specs)} specifications; {share(r.share_same_sign)} share the headline's sign, "
                f"{share(r.share_significant_same_sign)} are significant at {pct(ALPHA)} with it "
                f"({share(r.share_significant)} significant either way)")
        if share_reaches(r.share_significant_same_sign, ROBUST_SHARE):
            verdict = "robust to the choices"
        elif share_reaches(r.share_same_sign, STABLE_SIGN_SHARE):
            verdict = "the sign is stable but significance depends on the choices"
        else:
            verdict = "fragile: the sign itself depends on the choices"
        parts.append(f"{head}: {verdict}")
    return "Specification curve - " + "; ".join(parts) + "."


def baseline_sentence(rows: pd.DataFrame) -> str:
    """How the curve's baseline specification differs from the headline model (sample, clusters, terms),
    or that it does not; '' without the headline model's numbers."""
    ok = rows.dropna(subset=["headline_n_obs", "baseline_n_obs"]) if len(rows) else rows
    if ok.empty:
        return ""
    r = ok.iloc[0]
    obs, clusters = (int(r.baseline_n_obs), int(r.headline_n_obs)), (int(r.baseline_n_clusters), int(r.headline_n_clusters))
    missing = sorted({t for terms in ok["terms_not_in_baseline"].fillna("").astype(str) for t in terms.split(";") if t})
    differences = []
    if obs[0] != obs[1]:
        differences.append(f"{count(obs[0], 'observation')} against the headline model's {count(obs[1], 'observation')}")
    if clusters[0] != clusters[1]:
        differences.append(f"{count(clusters[0], 'cluster')} against {clusters[1]}")
    if missing:
        differences.append("without the headline model's " + ", ".join(interaction_label(t) for t in missing))
    if not differences:
        return (f"The curve's baseline specification has the headline model's sample ({count(obs[0], 'observation')}, "
                f"{count(clusters[0], 'cluster')}) and shock terms.")
    return "The curve's baseline specification differs from the headline model: " + "; ".join(differences) + "."


def opposite_sign_sentences(rows: pd.DataFrame) -> list[str]:
    """One sentence per term whose curve baseline and headline model estimates have opposite signs."""
    out = []
    for r in rows.sort_values(["phase", "term"], ascending=[False, True]).itertuples():
        if opposite_signs(r.baseline_estimate, r.headline_estimate):
            out.append(f"{term_label(r.term)} ({r.phase}): the curve's own baseline specification gives "
                       f"{num(r.baseline_estimate)}, the opposite sign of the headline model's {num(r.headline_estimate)}.")
    return out


def opposite_signs(a: float, b: float) -> bool:
    """Whether two estimates have opposite signs; False when either is missing."""
    return math.isfinite(float(a)) and math.isfinite(float(b)) and float(a) * float(b) < 0


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def interaction_label(term: str) -> str:
    """``contraction_gfc_x_digital_z_x_lq_manuf`` -> ``contraction x digital_z x lq_manuf``."""
    return term_label(term).replace("_x_", " x ")


def collinearity_sentence(rows: pd.DataFrame) -> str:
    """The correlation of the digital exposure with income across units, with its strength chosen by rule."""
    ok = rows.dropna(subset=["correlation"]) if len(rows) else rows
    if ok.empty:
        return ""
    r = ok.iloc[0]
    size = abs(float(r["correlation"]))
    strength = "strongly" if size >= STRONG else "moderately" if size >= MODERATE else "weakly"
    text = (f"Income collinearity: {r['exposure']} correlates {num(r['correlation'])} with {r['control']} across the "
            f"{int(r['n_units'])} units with both, {strength} collinear")
    if size >= MODERATE:
        text += ("; the digital term partly measures income, so the curve's forks with and without the income "
                 "control bound how much of it is digitalization rather than income")
    return text + "."
def headline_label(headline_model) -> str:
    """The heading's model: one name, or each episode's name where the panel judges episodes on different models."""
    if not isinstance(headline_model, dict):
        return str(headline_model)
    return "; ".join(f"{name} ({episode})" for episode, name in headline_model.items())


def episodes_of(own: dict[str, pd.DataFrame]) -> list[str]:
    return list(dict.fromkeys(own["pretrends"]["episode"].astype(str)))


def episode_lines(panel: str, info: dict, own: dict[str, pd.DataFrame], episode: str) -> list[str]:
    rows = {name: own[name][own[name]["episode"].astype(str) == episode] for name in TABLES}
    lines = [f"#### {episode}", ""]
    sized = {**info, "size_series": for_episode(info.get("size_series"), episode)}
    lines += ["- " + size_sentence(rows["size_weighted"], sized), "- " + pretrend_sentence(rows["pretrends"]),
              "- " + placebo_sentence(rows["placebo_summary"]), "- " + adjusted_sentence(rows["adjusted_p"])]
    if "spec_curve_summary" in own:
        curve = own["spec_curve_summary"]
        own_curve = curve[curve["episode"].astype(str) == episode]
        lines.append("- " + spec_curve_sentence(own_curve))
        baseline = baseline_sentence(own_curve) if "baseline_n_obs" in own_curve else ""
        lines += ["- " + baseline] if baseline else []
        lines += ["- " + s for s in opposite_sign_sentences(own_curve)] if "baseline_estimate" in own_curve else []
        corr = own.get("spec_curve_collinearity", pd.DataFrame(columns=["episode"]))
        sentence = collinearity_sentence(corr[corr["episode"].astype(str) == episode])
        lines += ["- " + sentence] if sentence else []
    lines.append("")
    table = headline_table(rows["size_weighted"], rows["adjusted_p"])
    if len(table):
        lines += [markdown_table(table), ""]
    lines += [f"![{caption}, {info['label']}, {episode}](figures/{panel}_{kind}_{episode}.png)"
              for kind, caption in FIGURES.items()]
    if "spec_curve_summary" in own:
        lines.append(f"![Specification curve, {info['label']}, {episode}](figures/{panel}_spec_curve_{episode}.png)")
    return lines + [""]


def estimated(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["status"] == "estimated"]


def reason(rows: pd.DataFrame) -> str:
    return str(rows["note"].iloc[0]) if len(rows) else "no row for this episode"


def size_sentence(rows: pd.DataFrame, info: dict) -> str:
    """The contraction terms unweighted (the typical unit) beside size-weighted (where output is)."""
    unit = info.get("unit_label", "unit")
    ok = estimated(rows)
    ok = ok[ok["term"].astype(str).str.startswith("contraction_")]
    if ok.empty:
        return (f"Size weighting: not available ({reason(rows)}); the estimates describe the typical {unit} only.")
    parts = [size_part(r, unit, info.get("size_series")) for r in ok.itertuples()]
    return ("Unweighted estimates answer how the typical " + unit + " fared, size-weighted ones where output is. "
            + " ".join(parts))


def size_part(r, unit: str, series: str | None) -> str:
    plain, weighted = (r.coef_none, r.p_none), (r.coef_size, r.p_size)
    head = (f"{term_label(r.term)}: {num(plain[0])} ({p_is(plain[1])}) unweighted, {num(weighted[0])} "
            f"({p_is(weighted[1])}) weighted by {series}")
    if plain[1] < ALPHA and weighted[1] < ALPHA:
        verdict = f"significant at {pct(ALPHA)} both ways: it holds for the typical {unit} and where output is"
    elif plain[1] < ALPHA:
        verdict = f"significant at {pct(ALPHA)} for the typical {unit} only: the large {unit}s do not carry it"
    elif weighted[1] < ALPHA:
        verdict = f"significant at {pct(ALPHA)} only with size weights: carried by the large {unit}s"
    else:
        verdict = f"significant at {pct(ALPHA)} neither way"
    if (plain[1] < ALPHA or weighted[1] < ALPHA) and math.copysign(1, plain[0]) != math.copysign(1, weighted[0]):
        verdict += "; the sign flips with size weights"
    return f"{head}: {verdict}."


def pretrend_sentence(rows: pd.DataFrame) -> str:
    """The joint pre-trend test (or the one exposure's) against ``ALPHA``."""
    ok = estimated(rows)
    if ok.empty:
        return f"Pre-trend test: not available ({reason(rows)})."
    joint = ok[ok["exposure"] == "all"]
    r = (joint if len(joint) else ok).iloc[0]
    which = "joint " if r["exposure"] == "all" else f"{r['exposure']} "
    stat = f"F({int(r['df1'])}, {int(r['df2'])}) = {num(r['stat'])}, {p_is(r['p'])}"
    if r["p"] < ALPHA:
        return (f"The {which}pre-trend test rejects at {pct(ALPHA)} ({stat}): the event study does not support "
                "parallel pre-trends, so the post-shock gap may continue an earlier one.")
    return (f"The {which}pre-trend test does not reject at {pct(ALPHA)} ({stat}): no evidence against parallel "
            "pre-trends (which does not prove them).")


def placebo_sentence(rows: pd.DataFrame) -> str:
    """Per exposure: is the real contraction estimate unusual among the placebo dates?"""
    ok = estimated(rows)
    if ok.empty:
        return f"Placebo dates: not available ({reason(rows)})."
    parts = []
    for r in ok.itertuples():
        n = int(r.n_placebo)
        if n == 0:
            parts.append(f"{r.exposure}: no placebo date fits in the years outside the episodes")
            continue
        head = f"{r.exposure}: {p_is(r.p_randomization)} over {n} placebo dates"
        if 1 / (1 + n) > ALPHA:
            parts.append(f"{head}; with so few dates the smallest attainable p is {pval(1 / (1 + n))}, so the test "
                         f"cannot reject at {pct(ALPHA)}")
        elif r.p_randomization <= ALPHA:
            parts.append(f"{head}; the real estimate is unusual among dates without a shock")
        else:
            parts.append(f"{head}; estimates this large also turn up at dates without a shock")
    return "Placebo shock dates (contraction x exposure) - " + "; ".join(parts) + "."


def adjusted_sentence(rows: pd.DataFrame) -> str:
    """How many shock terms stay significant after Holm and Romano-Wolf."""
    ok = estimated(rows)
    if ok.empty:
        return f"Adjusted p-values: not available ({reason(rows)})."
    m, rw, holm = len(ok), int((ok["p_romano_wolf"] < ALPHA).sum()), int((ok["p_holm"] < ALPHA).sum())
    single = int((ok["p_boot"] < ALPHA).sum())
    reps = int(ok["reps"].iloc[0])
    verdict = ("none survives" if rw == 0 else "all survive" if rw == m else "some survive")
    return (f"Of the {m} shock terms, {single} {'is' if single == 1 else 'are'} significant at {pct(ALPHA)} alone (wild cluster bootstrap, "
            f"{reps} draws), {rw} after Romano-Wolf and {holm} after Holm: {verdict} the correction for "
            "testing them together.")


def headline_table(size: pd.DataFrame, adjusted: pd.DataFrame) -> pd.DataFrame:
    """One row per shock term: unweighted and size-weighted estimates, single and adjusted p-values."""
    adj = estimated(adjusted)
    if adj.empty:
        return pd.DataFrame()
    out = pd.DataFrame({"term": adj["term"].map(term_label), "coef (headline effects, no controls)": adj["coef"].map(num),
                        "p (bootstrap)": adj["p_boot"].map(pval), "p (Holm)": adj["p_holm"].map(pval),
                        "p (Romano-Wolf)": adj["p_romano_wolf"].map(pval)})
    sized = estimated(size).set_index("term") if len(estimated(size)) else None
    if sized is not None:
        out["coef (unweighted)"] = adj["term"].map(sized["coef_none"]).map(num).to_numpy()
        out["coef (size-weighted)"] = adj["term"].map(sized["coef_size"]).map(num).to_numpy()
        out["p (size-weighted)"] = adj["term"].map(sized["p_size"]).map(pval).to_numpy()
    return out.reset_index(drop=True)


def term_label(term: str) -> str:
    """``contraction_gfc_x_digital_z`` -> ``contraction x digital_z``."""
    phase, _, rest = str(term).partition("_x_")
    return f"{phase.split('_')[0]} x {rest}" if rest else str(term)


def num(value) -> str:
    """Two decimals; a small non-zero number keeps two significant digits so its sign reads right
    (-0.0037, never -0.00)."""
    return "n/a" if value is None or not math.isfinite(float(value)) else fmt_signed(value)


def pval(value) -> str:
    if value is None or not math.isfinite(float(value)):
        return "n/a"
    return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def p_is(value) -> str:
    """``p = 0.123``, or ``p < 0.001`` below it."""
    text = pval(value)
    return f"p {text[0]} {text[1:]}" if text.startswith("<") else f"p = {text}"


def pct(alpha: float) -> str:
    return f"{100 * alpha:g}%"


def share(value) -> str:
    """A share as a whole percentage, halves rounded up (``n/a`` when missing): the one formatter of the
    specification shares, so one share reads the same in every section (0.475 -> 48%, 0.085 -> 9%)."""
    if value is None or not math.isfinite(float(value)):
        return "n/a"
    return f"{_whole_percent(value)}%"


def share_reaches(value, threshold: float) -> bool:
    """Whether a share reaches ``threshold`` as printed (whole percentages): 0.895 prints as 90%, so it
    reaches 0.9; a sentence never calls a printed 90% 'below 90%'. False when missing."""
    if value is None or not math.isfinite(float(value)):
        return False
    return _whole_percent(value) >= _whole_percent(threshold)


def _whole_percent(value) -> Decimal:
    # through the shortest decimal repr, so 0.475 rounds as the 47.5 it means, not the binary 47.4999...
    return (Decimal(repr(float(value))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
