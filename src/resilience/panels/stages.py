"""One entry point per stage of every panel (``workflow/rules/stages.smk``, wildcard ``panel``).

Each entry point looks the panel up in the registry and calls its ``base.Panel`` method; what is the
same for every panel (the summaries, the regression tables, the tercile figure) lives here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from resilience.errors import ConfigError
from resilience.io import read_csv
from resilience.measures.regional import require_columns, sole_units
from resilience.measures.digital import INFO_COLUMNS
from resilience.panels import Panel, get
from resilience.report.text import markdown_table

# --- measures ------------------------------------------------------------------------------------------


def measures(panel_id: str, panel: pd.DataFrame, settings: dict, episodes: list[dict]) -> dict[str, pd.DataFrame]:
    """growth, martin, martin_summary, exposures, exposure_summary, digital_composite of one panel."""
    owner = get(panel_id)
    tables = owner.measure_tables(panel, settings, episodes)
    summary = martin_summary(owner.to_core(tables.martin, settings), drop_sole_units=owner.martin_benchmark_is_group)
    return {"growth": tables.growth, "martin": tables.martin, "martin_summary": owner.from_core(summary),
            "exposures": tables.exposures,
            "exposure_summary": owner.from_core(exposure_summary(owner.to_core(tables.exposures, settings))),
            "digital_composite": tables.digital_info[INFO_COLUMNS]}


def martin_summary(martin: pd.DataFrame, *, drop_sole_units: bool = False) -> pd.DataFrame:
    """Per outcome, episode and phase: units, groups, and the distribution of index_pp and index_ratio.

    ``martin``: outcome, unit, group, episode, phase, g_unit, index_pp, index_ratio. ``drop_sole_units``
    (a panel whose benchmark is the unit's own group): a unit that is its group's only unit in ``martin``
    is its own benchmark, its index 0 by construction, so it is left out of the distribution (``units`` and
    ``groups`` count the rest; ``excluded_sole_units`` how many were left out)."""
    columns = ["outcome", "episode", "phase", "units", "groups", "units_with_ref", "excluded_sole_units",
               "median_g_unit", "mean_index_pp", "median_index_pp", "sd_index_pp", "share_better",
               "median_index_ratio"]
    if martin.empty:
        return pd.DataFrame(columns=columns)
    require_columns(martin, ["outcome", "unit", "group", "episode", "phase", "g_unit", "index_pp", "index_ratio"],
                    "martin (martin_summary)")
    sole = set(sole_units(martin)) if drop_sole_units else set()
    rows = []
    for (outcome, episode, phase), rows_of in martin.groupby(["outcome", "episode", "phase"], sort=True):
        own = rows_of[~rows_of["unit"].astype(str).isin(sole)]
        pp = own["index_pp"].dropna()
        rows.append({"outcome": outcome, "episode": episode, "phase": phase, "units": own["unit"].nunique(),
                     "groups": own["group"].nunique(), "units_with_ref": int(len(pp)),
                     "excluded_sole_units": int(rows_of["unit"].nunique() - own["unit"].nunique()),
                     "median_g_unit": own["g_unit"].median(), "mean_index_pp": pp.mean(),
                     "median_index_pp": pp.median(), "sd_index_pp": pp.std(),
                     "share_better": float((pp > 0).mean()) if len(pp) else float("nan"),
                     "median_index_ratio": own["index_ratio"].median()})
    return pd.DataFrame(rows, columns=columns)


def exposure_summary(exposures: pd.DataFrame) -> pd.DataFrame:
    """Per episode and variable: units, groups, mean, sd, min, max (``exposures``: unit, group,
    episode, variable, value)."""
    columns = ["episode", "variable", "units", "groups", "mean", "sd", "min", "max"]
    if exposures.empty:
        return pd.DataFrame(columns=columns)
    require_columns(exposures, ["unit", "group", "episode", "variable", "value"], "exposures (exposure_summary)")
    grouped = exposures.dropna(subset=["value"]).groupby(["episode", "variable"])
    out = grouped.agg(units=("unit", "nunique"), groups=("group", "nunique"), mean=("value", "mean"),
                      sd=("value", "std"), min=("value", "min"), max=("value", "max"))
    return out.reset_index()[columns]


# --- models ---------------------------------------------------------------------------------------------


def models(panel_id: str, inputs: dict, settings: dict, episodes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficient table, bootstrap table, notes) of every configured shock x exposure model of one panel.

    ``inputs``: paths growth, exposures (and the panel's ``model_inputs``, e.g. China's composite frame).
    """
    growth, exposures = pd.read_parquet(inputs["growth"]), read_csv(inputs["exposures"])
    return get(panel_id).models(growth, exposures, inputs, settings, episodes)


def models_markdown(coefs: pd.DataFrame) -> str:
    """A table in the shared coefficient layout (countries, EU) as a regression table (one column per
    model, ``models.tables.to_markdown``) followed by its bootstrap p-values and intervals; the
    provinces' own layout as a plain table."""
    from resilience.models.coefs import COEF_COLUMNS
    from resilience.models.tables import to_markdown
    if not _coefficient_layout(coefs):
        return markdown_table(coefs) + "\n"
    boot = coefs[coefs["p_boot"].notna()][["model", "term", "p_boot", "boot_ci_low", "boot_ci_high"]]
    text = to_markdown(coefs[COEF_COLUMNS])
    return text + ("\nWild cluster bootstrap:\n\n" + markdown_table(boot) + "\n" if len(boot) else "")


def models_latex(coefs: pd.DataFrame) -> str:
    """The LaTeX counterpart of ``models_markdown`` (booktabs; the bootstrap columns stay in the CSV)."""
    from resilience.models.coefs import COEF_COLUMNS
    from resilience.models.tables import plain_latex, to_latex
    return to_latex(coefs[COEF_COLUMNS]) if _coefficient_layout(coefs) else plain_latex(coefs)


def _coefficient_layout(coefs: pd.DataFrame) -> bool:
    # imported here, not at the top: the Snakefile imports the panels, and coefs loads scipy.stats (1.5 s)
    from resilience.models.coefs import COEF_COLUMNS
    return len(coefs) > 0 and set(COEF_COLUMNS) | {"p_boot"} <= set(coefs.columns)


# --- figures --------------------------------------------------------------------------------------------


def figure(panel_id: str, name: str, inputs: dict, settings: dict):
    """The matplotlib Figure ``name`` (one of the panel's ``figures``) of one panel."""
    owner = get(panel_id)
    if name not in owner.figures:
        raise ConfigError(f"figure {panel_id}_{name}: expected one of {list(owner.figures)}")
    return owner.figure(name, inputs, settings)


# The tercile figures and the entry of a panel's ``figures`` block naming the exposure each is drawn by.
TERCILE_EXPOSURE = {"resistance_by_cluster": "cluster_exposure", "resistance_by_digital": "digital_exposure"}


def tercile_figure(owner: Panel, name: str, inputs: dict, settings: dict, what: str, reference: str,
                   outcome_text: str):
    """Resistance (index_pp of ``figures.outcome``, first configured episode) by tercile of the panel's
    cluster or digital exposure: ``figures.regions.resistance_by_tercile``."""
    from resilience.figures.regions import resistance_by_tercile
    from resilience.measures.regional import resistance_frame
    fig, episode = settings["figures"], settings["episodes"][0]
    martin = owner.to_core(read_csv(inputs["martin"]), settings)
    exposures = owner.to_core(read_csv(inputs["exposures"]), settings)
    frame = resistance_frame(martin, exposures, fig["outcome"], episode)
    words = settings.get("labels", {}).get("terms", {})
    def said(name: str) -> str:
        return words.get(name, name.replace("_", " "))
    title = f"{what}: resistance of {said(outcome_text)}, {said(episode)}, against {said(reference)}"
    exposure = fig[TERCILE_EXPOSURE[name]]
    return resistance_by_tercile(frame, exposure, "index_pp", title=title, exposure_label=said(exposure),
                                 outcome_label=f"Resistance (pp against {said(reference)})",
                                 missing_note="(no data for this exposure in the available files)")


# --- section --------------------------------------------------------------------------------------------


def section(panel_id: str, inputs: dict, settings: dict) -> str:
    """Markdown of the panel's report section: every CSV input read as a table, the model notes as JSON."""
    tables = {name: read_csv(path) for name, path in inputs.items() if str(path).endswith(".csv")}
    notes = json.loads(Path(inputs["notes"]).read_text(encoding="utf-8"))
    return get(panel_id).section(tables, notes, settings)
