r"""Countries, EU regions and Chinese provinces on one specification: one tidy comparison table.

Each panel regresses growth on shock-phase dummies x pre-shock digitalization, x pre-shock
cluster / industrial-structure measure (and their product), with unit and year (EU: country x
year) effects and errors clustered by unit. The ``panel_comparison:`` config block names, per
panel, the source of its coefficient table (``countries``: ``results/tables/model_<model>.csv``;
``eu_regions``: ``results/tables/eu_models.csv``; ``china_provinces``:
``results/tables/china_models.csv``), the model, the episode and, for each common term label, the
model's term name (``null`` = the model has no such term).

``comparison_table`` returns one row per panel x common term. The 95% interval is recomputed
from each table's coefficient b, standard error s and clusters G, the same rule for every panel
(every panel's errors are CR1 clustered by unit, tested against t(G-1) as in Stata and fixest)::

    ci = b -/+ F^{-1}_{t(G-1)}((1 + level) / 2) * s          (normal quantile if G is missing or < 2)

A panel whose model is not in its table, or a term the table lacks or the model does not have,
is kept as a row with ``status = unavailable`` and the reason (from the model notes where they
give one), never dropped.

Exposure units are NOT the same in every panel; ``EXPOSURE_SCALES`` states, per source, what the
estimating code does, and the table carries it per row (``standardized``, ``exposure_scale``):
the country and province models standardize every exposure within episode over the estimation
sample (``model_runs.standardize_exposures``), the EU models use the exposures as measured
(``regions.eu_models.fit_panel_model``).

``check_panel_comparison(config)`` is the config cross-check (run on every Snakemake start, so
this module imports nothing heavy).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError

SOURCES = ("countries", "eu_regions", "china_provinces")
# The coefficient table (and model notes) of each source, as the workflow writes them.
SOURCE_TABLES = {
    "countries": ("results/tables/model_{model}.csv", "results/models/{model}.json"),
    "eu_regions": ("results/tables/eu_models.csv", "results/models/eu_models.json"),
    "china_provinces": ("results/tables/china_models.csv", "results/models/china_models.json"),
}
# What the estimating code of each source does to the exposures before they enter the model.
EXPOSURE_SCALES = {
    "countries": (True, "z-scores within episode over the estimation sample (resilience.model_runs."
                        "standardize_exposures): per 1 SD; main effects at the mean of the other exposure"),
    "china_provinces": (True, "z-scores within episode over the estimation sample (resilience.regions.china."
                              "run_shock_model): per 1 SD; main effects at the mean of the other exposure"),
    "eu_regions": (False, "NOT standardized (resilience.regions.eu_models.fit_panel_model uses the exposures as "
                          "measured): digital_z = mean of indicator z-scores across regions (not unit SD), "
                          "LQs in LQ units (1 = EU average), cluster_count in industries; main effects at the "
                          "other exposure = 0"),
}
COLUMNS = ["panel", "panel_label", "source", "model", "dependent", "episode", "term_key", "term_label", "term",
           "status", "reason", "coef", "se", "df", "ci_level", "ci_low", "ci_high", "nobs", "n_clusters",
           "standardized", "exposure_scale"]
REQUIRED_COLUMNS = ["model", "term", "coef", "se", "nobs", "n_clusters"]
PHASES = ("contraction", "recovery")


def format_count(value) -> str:
    """An observation or cluster count as printed in the figure and the section ('n/a' when absent)."""
    return "n/a" if value is None or pd.isna(value) else f"{int(value):,}"


# --- config --------------------------------------------------------------------------------------


def source_models(config: dict, source: str) -> dict[str, dict]:
    """The panel-kind model entries of one source, by name, each with ``episodes`` filled in (for the
    countries only those clustered by unit, like the regional models: the intervals use t(G-1))."""
    if source == "countries":
        episodes = [e["name"] for e in config["episodes"]]
        return {m["name"]: {**m, "episodes": m.get("episodes") or episodes}
                for m in config["models"] if m["kind"] == "panel" and m.get("cov") == "clustered"}
    if source == "eu_regions":
        block = config.get("eu_regions") or {}
        return {m["name"]: {**m, "episodes": m.get("episodes") or list(block.get("episodes", []))}
                for m in block.get("models", [])}
    if source == "china_provinces":
        block = config.get("china_provinces") or {}
        return {m["name"]: {**m, "episodes": [block["episode"]["name"]]} for m in block.get("models", [])}
    raise ConfigError(f"panel_comparison: unknown source {source!r} (expected one of {list(SOURCES)})")


def model_terms(entry: dict, episode: str) -> list[str]:
    """The shock terms a panel model estimates for ``episode`` (``resilience.models.design`` names)."""
    exposures, controls = list(entry.get("exposures", [])), list(entry.get("controls", []))
    terms = []
    for phase in entry.get("phases", PHASES):
        stem = f"{phase}_{episode}"
        terms += [f"{stem}_x_{v}" for v in exposures]
        if entry.get("interact_exposures"):
            terms += [f"{stem}_x_{a}_x_{b}" for a, b in combinations(exposures, 2)]
        terms += [f"{stem}_x_{v}" for v in controls]
    return terms


def check_panel_comparison(config: dict) -> None:
    """Raise ``ConfigError`` naming the key for an unknown model, episode, term label or term name."""
    block = config["panel_comparison"]
    labels = block["terms"]
    names = [p["name"] for p in block["panels"]]
    if len(set(names)) != len(names):
        raise ConfigError(f"panel_comparison.panels: names must be unique, got {names}")
    for panel in block["panels"]:
        key = f"panel_comparison.panels.{panel['name']}"
        models = source_models(config, panel["source"])
        if panel["model"] not in models:
            raise ConfigError(f"{key}.model: {panel['model']!r} is not a panel model of source "
                              f"{panel['source']!r} (available: {sorted(models)})")
        entry = models[panel["model"]]
        if panel["episode"] not in entry["episodes"]:
            raise ConfigError(f"{key}.episode: {panel['episode']!r} is not an episode of model {panel['model']!r} "
                              f"(its episodes: {list(entry['episodes'])})")
        unknown = sorted(set(panel["terms"]) - set(labels))
        absent = [k for k in labels if k not in panel["terms"]]
        if unknown or absent:
            raise ConfigError(f"{key}.terms: keys must be the labels of panel_comparison.terms {list(labels)}; "
                              f"unknown {unknown}, missing {absent} (write null for a term the model lacks)")
        valid = model_terms(entry, panel["episode"])
        for label_key, term in panel["terms"].items():
            if term is not None and term not in valid:
                raise ConfigError(f"{key}.terms.{label_key}: {term!r} is not a term of model {panel['model']!r} "
                                  f"in episode {panel['episode']!r} (its terms: {valid})")


def resolve_panels(config: dict) -> list[dict]:
    """The configured panels with the model's dependent and the source's exposure scale added."""
    out = []
    for panel in config["panel_comparison"]["panels"]:
        entry = source_models(config, panel["source"]).get(panel["model"], {})
        standardized, scale = EXPOSURE_SCALES[panel["source"]]
        out.append({**panel, "dependent": entry.get("dependent", ""), "standardized": standardized,
                    "exposure_scale": scale})
    return out


def panel_paths(panel: dict) -> tuple[str, str]:
    """(coefficient table, model notes) of a configured panel, relative to the working directory."""
    table, notes = SOURCE_TABLES[panel["source"]]
    return table.format(model=panel["model"]), notes.format(model=panel["model"])


# --- notes ---------------------------------------------------------------------------------------


def notes_reason(source: str, notes: dict | None, model: str) -> str:
    """What the model notes say about a model's missing estimates or dropped terms ('' if nothing)."""
    if not notes:
        return ""
    if source == "eu_regions":
        entry = next((n for n in notes.get("panel_models", []) if n.get("model") == model), None)
        if entry is None:
            return f"model {model} not in the notes"
        if not entry.get("estimable", False):
            return f"not estimable: {entry.get('reason', 'no data')}"
        parts = []
        if entry.get("exposures_dropped"):
            parts.append("exposures left out for lack of data: " + ", ".join(entry["exposures_dropped"]))
        if entry.get("episodes_dropped"):
            parts.append("episodes left out for lack of data: " + ", ".join(entry["episodes_dropped"]))
        return "; ".join(parts)
    if source == "china_provinces":
        entry = notes.get(model)
        if entry is None:
            return f"model {model} not in the notes"
        return f"skipped: {entry['skipped']}" if "skipped" in entry else ""
    return ""  # a country model always has its configured terms (an unidentified term fails the model rule)


# --- the table -----------------------------------------------------------------------------------


def confidence_interval(coef, se, n_clusters, level: float = 0.95) -> tuple[float, float, float]:
    """(lower, upper, df): b -/+ t_{G-1}((1+level)/2) * s; df = NaN (normal quantile) if G is missing or < 2."""
    from scipy import stats

    g = float(n_clusters) if n_clusters is not None and not pd.isna(n_clusters) else np.nan
    df = g - 1 if np.isfinite(g) and g >= 2 else np.nan
    q = (stats.norm() if np.isnan(df) else stats.t(df)).ppf((1 + level) / 2)
    half = q * float(se)
    return float(coef) - half, float(coef) + half, df


def comparison_table(coefs: dict[str, pd.DataFrame | None], block: dict, panels: list[dict],
                     notes: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per configured panel x common term (``COLUMNS``), in config order.

    ``coefs``: panel name -> its coefficient table (None when the file is absent); ``block``: the
    ``panel_comparison`` config (``terms``: key -> common label, ``ci_level``); ``panels``:
    ``resolve_panels(config)``; ``notes``: panel name -> ``notes_reason`` text.
    """
    notes = notes or {}
    level = float(block.get("ci_level", 0.95))
    rows = []
    for panel in panels:
        table = coefs.get(panel["name"])
        if table is not None:
            missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
            if missing:
                raise InputError(panel_paths(panel)[0], f"coefficient table of panel {panel['name']!r} lacks "
                                 f"columns {missing}", field=missing[0], expected=f"columns {REQUIRED_COLUMNS}")
        own = table[table["model"].astype(str) == panel["model"]] if table is not None else None
        note = notes.get(panel["name"], "")
        for key, label in block["terms"].items():
            term = panel["terms"].get(key)
            row = {"panel": panel["name"], "panel_label": panel["label"], "source": panel["source"],
                   "model": panel["model"], "dependent": panel.get("dependent", ""), "episode": panel["episode"],
                   "term_key": key, "term_label": label, "term": term or "", "ci_level": level,
                   "standardized": panel["standardized"], "exposure_scale": panel["exposure_scale"]}
            reason = _unavailable(panel, term, table, own, note)
            if reason:
                rows.append(row | {"status": "unavailable", "reason": reason})
                continue
            hit = own[own["term"].astype(str) == term]
            if len(hit) > 1:
                raise InputError(panel_paths(panel)[0], f"{len(hit)} rows for term {term!r} of model "
                                 f"{panel['model']!r} (panel {panel['name']!r})", field="term",
                                 expected="one row per model and term")
            est = hit.iloc[0]
            low, high, df = confidence_interval(est["coef"], est["se"], est["n_clusters"], level)
            rows.append(row | {"status": "estimated", "reason": "", "coef": float(est["coef"]),
                               "se": float(est["se"]), "df": df, "ci_low": low, "ci_high": high,
                               "nobs": est["nobs"], "n_clusters": est["n_clusters"]})
    out = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("nobs", "n_clusters"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    for column in ("coef", "se", "df", "ci_low", "ci_high", "ci_level"):
        out[column] = out[column].astype("float64")
    return out


def _unavailable(panel: dict, term: str | None, table, own, note: str) -> str:
    """The reason a panel x term has no estimate ('' if it has one)."""
    path = panel_paths(panel)[0]
    suffix = f" ({note})" if note else ""
    if term is None:
        return f"model {panel['model']} has no such term (configured null)"
    if table is None:
        return f"{path} is absent"
    if own.empty:
        return f"model {panel['model']} is not in {path}{suffix}"
    if term not in set(own["term"].astype(str)):
        return f"term {term} is not in model {panel['model']}'s rows of {path}{suffix}"
    return ""
