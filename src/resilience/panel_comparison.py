r"""Countries, EU regions and Chinese provinces on one specification: one tidy comparison table.

Each panel regresses growth on shock-phase dummies x pre-shock digitalization, x pre-shock
cluster / industrial-structure measure (and their product), with unit and year (EU: country x
year) effects and errors clustered by unit. The ``panel_comparison:`` config block names, per
panel, its ``source`` (a panel id of the ``resilience.panels`` registry, whose ``comparison`` gives
the coefficient table of rule panel_models, e.g. ``results/tables/eu_models.csv``), the model, the
episode and, for each common term label, the model's term name (``null`` = the model has no such term).

``comparison_table`` returns one row per panel x common term. The 95% interval is recomputed
from each table's coefficient b, standard error s and clusters G, the same rule for every panel
(every panel's errors are CR1 clustered by unit, tested against t(G-1) as in Stata and fixest),
by ``resilience.models.coefs.inference`` with df = G - 1::

    ci = b -/+ F^{-1}_{t(G-1)}((1 + level) / 2) * s          (normal quantile if G is missing or < 2)

Where a panel runs the restricted wild cluster bootstrap (its ``comparison["bootstrap"]``: the country
models clustered by economy and the EU models clustered by country merge it into their coefficient
table; the province models, by province, write ``china_wild_bootstrap.csv``) its p-value and inverted
interval are carried as ``boot_*`` columns (``boot_ci_level`` = 1 - the bootstrap's alpha); otherwise
they are empty and ``boot_reason`` says why.

A panel whose model is not in its table, or a term the table lacks or the model does not have,
is kept as a row with ``status = unavailable`` and the reason (from the model notes where they
give one), never dropped.

Exposure units are NOT the same in every panel; ``exposure_scale`` states, per source, what the
estimating code does, and the table carries it per row (``standardized``, ``exposure_scale``):
every panel's models (``models.shock_exposure``) standardize every exposure within episode over
the estimation sample (``model_runs.standardize_exposures``) when its block's ``design.standardize``
is true (``panels.<id>.design``), else use the exposures as measured.

``check_panel_comparison(config)`` is the config cross-check (run on every Snakemake start, so
this module imports nothing heavy).
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.models.design import term_name
from resilience.models.spec import PHASES
from resilience.panels import get as get_panel
from resilience.panels import ids as panel_ids

# What the estimating code does to the exposures before they enter the model: a panel standardizes when
# its block's `design.standardize` is true (exposure_scale()), else its `comparison["raw_scale"]` says.
STANDARDIZED_SCALE = ("z-scores within episode over the estimation sample (resilience.model_runs."
                      "standardize_exposures): per 1 SD; main effects at the mean of the other exposure")


def _panel(source: str):
    """The registry's panel of a comparison source (its id)."""
    return get_panel(source)


def exposure_scale(config: dict, source: str) -> tuple[bool, str]:
    """(standardized, what the exposures' units are) for one source of the comparison."""
    panel = _panel(source)
    if panel.settings(config)["design"]["standardize"]:
        return True, STANDARDIZED_SCALE
    return False, panel.comparison["raw_scale"]


BOOT_COLUMNS = ["boot_p", "boot_ci_level", "boot_ci_low", "boot_ci_high", "boot_clustered_by", "boot_clusters",
                "boot_reps", "boot_weights", "boot_reason"]
COLUMNS = ["panel", "panel_label", "source", "model", "dependent", "episode", "term_key", "term_label", "term",
           "status", "reason", "coef", "se", "df", "ci_level", "ci_low", "ci_high", "nobs", "n_clusters",
           *BOOT_COLUMNS, "standardized", "exposure_scale"]
REQUIRED_COLUMNS = ["model", "term", "coef", "se", "nobs", "n_clusters"]


def format_count(value) -> str:
    """An observation or cluster count as printed in the figure and the section ('n/a' when absent)."""
    return "n/a" if value is None or pd.isna(value) else f"{int(value):,}"


# --- config --------------------------------------------------------------------------------------


def source_models(config: dict, source: str) -> dict[str, dict]:
    """The panel-kind model entries of one source, by name, each with ``episodes`` filled in."""
    return _panel(source).comparison_models(config)


def model_terms(entry: dict, episode: str) -> list[str]:
    """The shock terms a panel model estimates for ``episode``, in ``resilience.models.design`` order
    and named by its ``term_name`` (no phase dummies: every compared model has year effects)."""
    exposures, controls = list(entry.get("exposures", [])), list(entry.get("controls", []))
    terms = []
    for phase in entry.get("phases", PHASES):
        terms += [term_name(phase, episode, v) for v in exposures]
        if entry.get("interact_exposures"):
            terms += [term_name(phase, episode, a, b) for a, b in combinations(exposures, 2)]
        terms += [term_name(phase, episode, v) for v in controls]
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
        if panel["source"] not in panel_ids():
            raise ConfigError(f"{key}.source: {panel['source']!r} is not a panel (expected one of {list(panel_ids())})")
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
        standardized, scale = exposure_scale(config, panel["source"])
        out.append({**panel, "dependent": entry.get("dependent", ""), "standardized": standardized,
                    "exposure_scale": scale})
    return out


def panel_paths(panel: dict) -> tuple[str, str]:
    """(coefficient table, model notes) of a configured panel, relative to the working directory."""
    own = _panel(panel["source"]).comparison
    return own["models"], own["notes"]


def _bootstrap_source(panel: dict) -> dict | None:
    return _panel(panel["source"]).comparison.get("bootstrap")


def bootstrap_path(panel: dict) -> str | None:
    """The wild-bootstrap table of a configured panel (None: its source runs no bootstrap)."""
    source = _bootstrap_source(panel)
    return source["path"] if source else None


def bootstrap_level(source: str, settings: dict | None) -> float | None:
    """Coverage 1 - alpha of a source's bootstrap intervals (None without a bootstrap)."""
    return _panel(source).bootstrap_level(settings or {})


def bootstrap_frame(panel: dict, table: pd.DataFrame | None) -> pd.DataFrame | None:
    """A source's bootstrap table reduced to model, term and the ``boot_*`` columns (None if absent)."""
    source = _bootstrap_source(panel)
    if source is None or table is None:
        return None
    wanted = ["model", "term", *source["columns"]]
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise InputError(source["path"], f"wild-bootstrap table of panel {panel['name']!r} lacks columns {missing}",
                         field=missing[0], expected=f"columns {wanted}")
    return table[wanted].rename(columns=source["columns"])


# --- notes ---------------------------------------------------------------------------------------


def notes_reason(source: str, notes: dict | None, model: str) -> str:
    """What the model notes say about a model's missing estimates or dropped terms ('' if nothing)."""
    return _panel(source).notes_reason(notes, model) if notes else ""


# --- the table -----------------------------------------------------------------------------------


def comparison_table(coefs: dict[str, pd.DataFrame | None], block: dict, panels: list[dict],
                     notes: dict[str, str] | None = None, boots: dict[str, pd.DataFrame | None] | None = None,
                     boot_levels: dict[str, float | None] | None = None) -> pd.DataFrame:
    """One row per configured panel x common term (``COLUMNS``), in config order.

    ``coefs``: panel name -> its coefficient table (None when the file is absent); ``block``: the
    ``panel_comparison`` config (``terms``: key -> common label, ``ci_level``); ``panels``:
    ``resolve_panels(config)``; ``notes``: panel name -> ``notes_reason`` text; ``boots``: panel
    name -> its wild-bootstrap table as read (``bootstrap_path``; None when absent or the source has
    none); ``boot_levels``: panel name -> ``bootstrap_level``. The analytic interval is
    ``resilience.models.coefs.inference`` with df = G - 1 (the normal if G is missing or < 2).
    """
    from resilience.models.coefs import inference   # scipy: not at Snakemake start

    notes, boots, boot_levels = notes or {}, boots or {}, boot_levels or {}
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
        boot = bootstrap_frame(panel, boots.get(panel["name"]))
        for key, label in block["terms"].items():
            term = panel["terms"].get(key)
            row = {"panel": panel["name"], "panel_label": panel["label"], "source": panel["source"],
                   "model": panel["model"], "dependent": panel.get("dependent", ""), "episode": panel["episode"],
                   "term_key": key, "term_label": label, "term": term or "", "ci_level": level,
                   "standardized": panel["standardized"], "exposure_scale": panel["exposure_scale"]}
            reason = _unavailable(panel, term, table, own, note)
            if reason:
                rows.append(row | {"status": "unavailable", "reason": reason, "boot_reason": "no estimate (see reason)"})
                continue
            hit = own[own["term"].astype(str) == term]
            if len(hit) > 1:
                raise InputError(panel_paths(panel)[0], f"{len(hit)} rows for term {term!r} of model "
                                 f"{panel['model']!r} (panel {panel['name']!r})", field="term",
                                 expected="one row per model and term")
            est = hit.iloc[0]
            g = est["n_clusters"]
            df = float(g) - 1 if not pd.isna(g) and float(g) >= 2 else None
            ci = inference(float(est["coef"]), float(est["se"]), df, level=level)
            rows.append(row | {"status": "estimated", "reason": "", "coef": float(est["coef"]),
                               "se": float(est["se"]), "df": df, "ci_low": float(ci["ci_low"]),
                               "ci_high": float(ci["ci_high"]), "nobs": est["nobs"], "n_clusters": g}
                        | _bootstrap_cells(panel, term, boot, boot_levels.get(panel["name"])))
    out = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("nobs", "n_clusters", "boot_clusters", "boot_reps"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    for column in ("coef", "se", "df", "ci_low", "ci_high", "ci_level", "boot_p", "boot_ci_level", "boot_ci_low",
                   "boot_ci_high"):
        out[column] = out[column].astype("float64")
    for column in ("boot_clustered_by", "boot_weights", "boot_reason"):
        out[column] = out[column].fillna("").astype(str)
    return out


def _bootstrap_cells(panel: dict, term: str, boot: pd.DataFrame | None, level: float | None) -> dict:
    """The ``boot_*`` cells of an estimated row: the bootstrap's values, or empty with the reason."""
    source = _bootstrap_source(panel)
    if source is None:
        return {"boot_reason": f"no wild bootstrap for source {panel['source']}"}
    if boot is None:
        return {"boot_reason": f"{source['path']} is absent"}
    hit = boot[(boot["model"].astype(str) == panel["model"]) & (boot["term"].astype(str) == term)]
    if len(hit) > 1:
        raise InputError(source["path"], f"{len(hit)} bootstrap rows for term {term!r} of model {panel['model']!r}",
                         field="term", expected="one row per model and term")
    if hit.empty or pd.isna(hit.iloc[0]["boot_p"]):
        return {"boot_reason": f"no bootstrap p-value for term {term} of model {panel['model']} in {source['path']}"}
    b = hit.iloc[0]
    has_ci = not (pd.isna(b["boot_ci_low"]) or pd.isna(b["boot_ci_high"]))
    return {"boot_p": float(b["boot_p"]), "boot_ci_level": level if has_ci else None,
            "boot_ci_low": b["boot_ci_low"], "boot_ci_high": b["boot_ci_high"],
            "boot_clustered_by": source["clustered_by"], "boot_clusters": b["boot_clusters"],
            "boot_reps": b["boot_reps"], "boot_weights": b["boot_weights"],
            "boot_reason": "" if has_ci else f"bootstrap interval not computed in {source['path']}"}


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


def exposure_roles(exposures: list[str], comparison_terms: dict | None = None) -> dict[str, str]:
    """Role (digital, cluster) -> exposure name of a headline model: from the panel comparison's term names
    (``contraction_covid_x_digital_z`` -> ``digital_z``) where the panel is compared, else the models'
    convention of listing the digitalization exposure first and the cluster exposure second."""
    roles = {}
    for role in ("digital", "cluster"):
        term = (comparison_terms or {}).get(role)
        if term and "_x_" in term:
            roles[role] = term.split("_x_", 1)[1]
    return roles or dict(zip(("digital", "cluster"), exposures))
