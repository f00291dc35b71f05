"""The verdict of one claim, from its ledger entry and the regenerated value (pure; no files).

- **reproduced**: a number within the claim's tolerance of the published one; a stated fact (a year,
  a yes/no, a name) equal to the regenerated one; a predicted sign found, significant at ``alpha``;
  a claimed rise (``trend``) with a positive slope and a rise every year;
- **differs**: a number outside the tolerance, or on the wrong side of a one-sided bound (``side``:
  ``below`` for "nearly 30%", at most the published value; the reason: the ledger's account of why, another
  source, vintage or definition, with both numbers); a predicted sign not significant; a claimed
  steady rise with a positive slope but some year lower than the one before;
- **contradicted**: a number beyond ``contradicted_beyond``; a stated fact the results deny; the
  opposite sign, significant; a claimed rise with a slope of zero or below;
- **needs the live source**: a claim only a source the mirror lacks can regenerate, and the run
  has no value for it;
- **not regenerable**: a documentary fact (cited, not regenerated), a proprietary or unverifiable
  number, or a regenerable claim whose results cell is empty on this run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from resilience.claims.ledger import DOCUMENTARY, LIVE_SOURCE, PROPRIETARY
from resilience.report.text import fmt, fmt_signed

REPRODUCED, DIFFERS, CONTRADICTED = "reproduced", "differs", "contradicted"
NEEDS_LIVE, NOT_REGENERABLE = "needs the live source", "not regenerable"
VERDICTS = (REPRODUCED, DIFFERS, CONTRADICTED, NEEDS_LIVE, NOT_REGENERABLE)
DEFAULT_ALPHA = 0.05


@dataclass(frozen=True)
class Verdict:
    verdict: str
    regenerated: object = None  # the regenerated value on the published value's scale
    difference: float | None = None
    reason: str = ""


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(value) -> str:
    if _is_number(value):
        return str(int(value)) if float(value).is_integer() else fmt(value)
    return str(value)


def without_value(claim: dict) -> Verdict:
    """The verdict of a claim with nothing regenerated: by its kind."""
    kind = claim["kind"]
    if kind == DOCUMENTARY:
        reason = f"documentary fact: {claim['citation']}"
        if "discrepancy" in claim:
            reason += f"; the cited source differs from the paper: {claim['discrepancy']}"
        return Verdict(NOT_REGENERABLE, reason=reason)
    if kind == PROPRIETARY:
        return Verdict(NOT_REGENERABLE, reason=f"proprietary or unverifiable: {claim['source']}")
    if kind == LIVE_SOURCE:
        return Verdict(NEEDS_LIVE, reason=f"needs {claim['live_source']}, which the mirror lacks")
    file = claim["selector"]["file"]
    return Verdict(NOT_REGENERABLE, reason=f"no value in {file} on this run (its source is unavailable)")


def compare_number(claim: dict, regenerated) -> Verdict:
    spec, published = claim["compare"], claim["published"]
    value = float(regenerated) * spec.get("scale", 1)
    difference = value - float(published["value"])
    unit = published.get("unit", "")
    numbers = (
        f"published {_text(published['value'])}, regenerated {fmt(value)} {unit}, difference {fmt(difference)}"
    ).replace("  ", " ")
    side = spec.get("side", "both")
    within = abs(difference) <= spec["tolerance"] and not (
        (side == "below" and difference > 0) or (side == "above" and difference < 0)
    )
    if within:
        bound = {"both": "within", "below": "at most and within", "above": "at least and within"}[side]
        return Verdict(REPRODUCED, value, difference, f"{bound} {_text(spec['tolerance'])} ({numbers})")
    beyond = spec.get("contradicted_beyond")
    if beyond is not None and abs(difference) > beyond:
        return Verdict(CONTRADICTED, value, difference, f"{claim.get('why_different', 'beyond')} ({numbers})")
    why = claim.get("why_different", f"outside the tolerance of {_text(spec['tolerance'])} ({side} side)")
    return Verdict(DIFFERS, value, difference, f"{why} ({numbers})")


def _same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return str(a).lower() == str(b).lower()
    if _is_number(a) and _is_number(b):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a) == str(b)


def compare_equal(claim: dict, regenerated) -> Verdict:
    published = claim["published"]["value"]
    numeric = _is_number(published) and _is_number(regenerated)
    difference = float(regenerated) - float(published) if numeric else None
    if _same(published, regenerated):
        return Verdict(REPRODUCED, regenerated, difference, f"the results give {_text(regenerated)} as stated")
    why = claim.get("why_different", "the results say otherwise")
    return Verdict(
        CONTRADICTED, regenerated, difference, f"{why} (published {_text(published)}, regenerated {_text(regenerated)})"
    )


# How a reason names the p-value a sign claim is judged by (its compare block's ``p_column``).
P_COLUMN_NAMES = {"p": "p", "p_boot": "wild-bootstrap p"}


def compare_sign(claim: dict, estimate, p_value) -> Verdict:
    """A predicted sign (``published.value``: positive or negative) against an estimate and its p-value."""
    alpha = claim["compare"].get("alpha", DEFAULT_ALPHA)
    predicted = claim["published"]["value"]
    found = "positive" if estimate > 0 else "negative" if estimate < 0 else "zero"
    p_name = P_COLUMN_NAMES.get(claim["compare"].get("p_column"), "p")
    numbers = f"estimate {fmt_signed(estimate)}, {p_name} = {fmt(p_value, 3)}"
    if p_value is None or not _is_number(p_value) or p_value >= alpha:
        found_sign = f"{found} as claimed" if found == predicted else f"{found}, not {predicted} as claimed,"
        return Verdict(
            DIFFERS,
            estimate,
            None,
            f"{found_sign} but not significant at {_text(alpha)} ({numbers}); see Findings",
        )
    if found == predicted:
        return Verdict(REPRODUCED, estimate, None, f"{found} and significant ({numbers})")
    return Verdict(CONTRADICTED, estimate, None, f"{found}, not {predicted}, and significant ({numbers})")


def compare_trend(claim: dict, slope, rose_every_year) -> Verdict:
    """A claimed steady rise against the slope within the period and whether it rose every year."""
    why = claim.get("why_different")
    numbers = f"slope {fmt(slope, 2)} a year"
    if slope <= 0:
        return Verdict(CONTRADICTED, slope, None, f"{why or 'no rise'} ({numbers})")
    if rose_every_year is True or str(rose_every_year).lower() == "true":
        return Verdict(REPRODUCED, slope, None, f"rose every year ({numbers})")
    steady = "not known for every year" if rose_every_year is None else "not every year"
    return Verdict(DIFFERS, slope, None, f"{why or 'rose on average'} ({numbers}, but {steady})")


def judge(claim: dict, regenerated=None, extra=None) -> Verdict:
    """The verdict of ``claim`` given its regenerated value (None: nothing regenerated on this run) and
    the cell its compare block names besides (``p_column`` of a sign, ``steady_column`` of a trend)."""
    if "selector" not in claim or regenerated is None:
        return without_value(claim)
    kind = claim["compare"]["type"]
    if kind == "number":
        return compare_number(claim, regenerated)
    if kind == "equal":
        return compare_equal(claim, regenerated)
    if kind == "trend":
        return compare_trend(claim, float(regenerated), extra)
    return compare_sign(claim, float(regenerated), extra)
