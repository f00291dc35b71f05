"""One entry point per stage of the regional panels (``workflow/rules/regions.smk``, wildcard ``region``).

A regional panel is configuration (its config block: ``eu_regions``, ``china_provinces``) plus
source-specific parsing (its panel rule). After the panel, every panel runs the same stages:

- ``measures``: growth, Martin indices against the configured benchmark, pre-shock exposures,
  their summaries (``martin_summary``, ``exposure_summary``, shared) and notes on the digital exposure;
- ``models``: the shock x exposure panel model (``regional_models.fit_shock_exposure``: fixed
  effects, bootstrap cluster and standardisation from the block's ``design:``);
- ``figure``: resistance by exposure tercile and coverage (EU: ``resilience.figures.regions``;
  China: ``resilience.figures.china``, one figure for both exposures);
- ``section``: the report section, from the results files only.

The small ``_ADAPTERS`` at the end are the only places where the panels differ in code: how growth,
Martin indices and exposures are read out of their panel (EU: Eurostat series with the national
rows; China: a chained real GDP index and the 全国 row), which figure functions draw them, and each
panel's section text. The province tables carry no country column; the shared summaries count
them as one country (``china.COUNTRY``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from resilience.errors import ConfigError
from resilience.io import read_csv
from resilience.report.text import markdown_table

# region wildcard -> its config block (and its report section's file name)
BLOCKS = {"eu": "eu_regions", "china": "china_provinces"}
DIGITAL_NOTE_COLUMNS = ["episode", "indicators_used", "indicators_dropped", "regions", "method_notes"]


def block_name(region: str) -> str:
    if region not in BLOCKS:
        raise ConfigError(f"regional panel {region!r}: expected one of {sorted(BLOCKS)}")
    return BLOCKS[region]


# --- measures ------------------------------------------------------------------------------------------


def measures(region: str, panel: pd.DataFrame, block: dict, episodes: list[dict]) -> dict[str, pd.DataFrame]:
    """growth, martin, martin_summary, exposures, exposure_summary, digital_notes of one panel."""
    block_name(region)
    growth, martin, exposures, notes = _ADAPTERS[region]["measures"](panel, block, episodes)
    return {"growth": growth, "martin": martin, "martin_summary": martin_summary(martin), "exposures": exposures,
            "exposure_summary": exposure_summary(exposures), "digital_notes": notes[DIGITAL_NOTE_COLUMNS]}


def _eu_measures(panel, block, episodes):
    from resilience.regions import eu_measures
    martin = eu_measures.martin_table(panel, block["measures"]["outcomes"], episodes, block["measures"]["benchmark"])
    exposures, notes = eu_measures.exposures_table(panel, block, episodes)
    return eu_measures.growth_panel(panel, block["growth"]), martin, exposures, notes


def _china_measures(panel, block, episodes):
    from resilience.regions import china
    settings = {"index_lagged_rows": block["index_lagged_rows"], "price_base_year": block["price_base_year"]}
    growth = china.growth_table(panel, settings)
    martin = china.martin_table(china.outcome_levels(panel, settings), block["episode"])
    exposures = china.exposure_table(panel, block["episode"])
    dfi = exposures[exposures["variable"] == "dfi"]
    notes = pd.DataFrame([{"episode": block["episode"]["name"], "indicators_used": "dfi_index" if len(dfi) else "",
                           "indicators_dropped": "" if len(dfi) else "dfi_index", "regions": int(dfi["unit"].nunique()),
                           "method_notes": "one indicator (the PKU aggregate index): no composite"}])
    return growth, martin, exposures, notes


def martin_summary(martin: pd.DataFrame) -> pd.DataFrame:
    """Per outcome, episode and phase: units, countries, and the distribution of index_pp and index_ratio."""
    from resilience.regions.eu_measures import martin_summary as summary
    return summary(martin if "country" in martin.columns else martin.assign(country=_single_country(martin)))


def exposure_summary(exposures: pd.DataFrame) -> pd.DataFrame:
    """Per episode and variable: units, countries, mean, sd, min, max."""
    from resilience.regions.eu_measures import exposure_summary as summary
    return summary(exposures if "country" in exposures.columns else
                   exposures.assign(country=_single_country(exposures)))


def _single_country(frame: pd.DataFrame) -> str:
    """The country of a panel whose tables have no country column (the provinces: China)."""
    from resilience.regions.china import COUNTRY
    return COUNTRY


# --- models ---------------------------------------------------------------------------------------------


def models(region: str, inputs: dict, block: dict, episodes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficient table, bootstrap table, notes) of every configured model of one panel.

    ``inputs``: paths growth, exposures (and the panel's extras, e.g. China's composite frame).
    """
    block_name(region)
    growth, exposures = pd.read_parquet(inputs["growth"]), read_csv(inputs["exposures"])
    return _ADAPTERS[region]["models"](growth, exposures, inputs, block, episodes)


def _eu_models(growth, exposures, inputs, block, episodes):
    from resilience.regions.eu_models import EU_COEF_COLUMNS, fit_panel_model
    from resilience.models.wild_bootstrap import BOOT_COLUMNS
    fits = [fit_panel_model(growth, exposures, episodes, model, block["bootstrap"], block["design"])
            for model in block["models"]]
    tables = [t for t, _, _ in fits if len(t)]
    boots = [b for _, b, _ in fits if len(b)]
    coefs = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=EU_COEF_COLUMNS)
    boot = pd.concat(boots, ignore_index=True) if boots else pd.DataFrame(columns=["model", *BOOT_COLUMNS])
    return coefs, boot[["model", *[c for c in boot.columns if c != "model"]]], {"panel_models": [n for _, _, n in fits]}


def _china_models(growth, exposures, inputs, block, episodes):
    from resilience.regions.china_models import run_models
    return run_models(growth, exposures, pd.read_parquet(inputs["composite"]), block)


def models_markdown(coefs: pd.DataFrame) -> str:
    return markdown_table(coefs) + "\n"


# --- figures --------------------------------------------------------------------------------------------


# The figures of each panel (results/figures/<region>_<name>.png): coverage, and resistance by tercile
# of pre-shock exposures (EU: one figure per exposure; China: one figure, two exposures x two phases).
FIGURES = {"eu": ["resistance_by_cluster", "resistance_by_digital", "coverage"],
           "china": ["resistance_terciles", "coverage"]}


def figure(region: str, name: str, inputs: dict, block: dict):
    """The matplotlib Figure ``name`` (one of ``FIGURES[region]``) of one panel."""
    block_name(region)
    if name not in FIGURES[region]:
        raise ConfigError(f"figure {region}_{name}: expected one of {FIGURES[region]}")
    return _ADAPTERS[region]["figure"](name, inputs, block)


def _eu_figure(name, inputs, block):
    from resilience.figures.regions import coverage_figure, resistance_by_tercile
    from resilience.regions.eu_measures import resistance_frame
    if name == "coverage":
        return coverage_figure(read_csv(inputs["coverage"]), title="EU regional panel: coverage")
    fig, episode = block["figures"], block["episodes"][0]
    frame = resistance_frame(read_csv(inputs["martin"]), read_csv(inputs["exposures"]), fig["outcome"], episode)
    title = f"{fig['outcome'].replace('_', ' ')}, {episode}: resistance vs own country"
    exposure = fig["cluster_exposure" if name == "resistance_by_cluster" else "digital_exposure"]
    return resistance_by_tercile(frame, exposure, "index_pp", title=title, outcome_label="Resistance (pp vs country)",
                                 missing_note="(no data for this exposure in the available files)")


def _china_figure(name, inputs, block):
    from resilience.figures.china import coverage_figure, resistance_terciles_figure
    martin, provenance = read_csv(inputs["martin"]), read_csv(inputs["provenance"])
    if name == "coverage":
        compiled = set(provenance.loc[(provenance["status"] == "used") & (provenance["kind"] == "compiled"), "series"])
        return coverage_figure(pd.read_parquet(inputs["panel"]), block["years"], compiled,
                               pd.read_parquet(inputs["growth"]))
    outcome = "real_gdp" if (martin["outcome"] == "real_gdp").any() else "nominal_gdp"
    benchmark = martin.loc[martin["outcome"] == outcome, "benchmark"].iloc[0] if len(martin) else "national benchmark"
    return resistance_terciles_figure(martin, read_csv(inputs["exposures"]), outcome, benchmark)


# --- section --------------------------------------------------------------------------------------------


def section(region: str, inputs: dict, block: dict) -> str:
    """Markdown of the panel's report section: every CSV input read as a table, the model notes as JSON."""
    block_name(region)
    tables = {name: read_csv(path) for name, path in inputs.items() if str(path).endswith(".csv")}
    notes = json.loads(Path(inputs["notes"]).read_text(encoding="utf-8"))
    return _ADAPTERS[region]["section"](tables, notes, block)


def _eu_section(tables, notes, block):
    from resilience.regions.eu_report import eu_section
    return eu_section({**tables, "model_notes": notes["panel_models"]}, block)


def _china_section(tables, notes, block):
    from resilience.regions.china_report import china_section
    return china_section(tables, notes, block)


_ADAPTERS = {
    "eu": {"measures": _eu_measures, "models": _eu_models, "figure": _eu_figure, "section": _eu_section},
    "china": {"measures": _china_measures, "models": _china_models, "figure": _china_figure,
              "section": _china_section},
}
