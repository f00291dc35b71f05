"""One entry point per stage of every panel (``workflow/rules/stages.smk``, wildcard ``panel``).

A panel is configuration plus source-specific parsing: its config block (``countries``: the
top-level ``measures``, ``models`` and ``countries`` keys; ``eu_regions``; ``china_provinces``) and
its panel rule (country_panel, eu_panel, china_panel). After the panel, every panel runs the same
stages:

- ``measures``: growth, Martin indices against the configured benchmark, pre-shock exposures with
  the digital composites of ``measures.digital`` (the same rule for every panel), their summaries
  (``martin_summary``, ``exposure_summary``, shared) and the composites' info per indicator;
- ``models``: the shock x exposure panel models (``regions.regional_models.fit_shock_exposure``:
  fixed effects, bootstrap cluster and standardisation from the block's ``design:``) with the wild
  cluster bootstrap;
- ``figure``: resistance by exposure tercile and coverage;
- ``section``: the report section of a regional panel, from the results files only (the
  countries' section is the report's main body).

The small ``_ADAPTERS`` at the end are the only places where the panels differ in code: how growth,
Martin indices and exposures are read out of their panel (countries: the UN AMA / WDI series with
the world benchmark and the publisher's series breaks; EU: Eurostat series with the national rows;
China: a chained real GDP index and the 全国 row), which figure functions draw them, and each
regional panel's section text. Unit and group columns differ by panel (countries: ``iso3``, each
economy its own group; EU: ``unit`` within ``country``; provinces: ``unit``, one country, CHN);
each adapter's ``units`` maps them onto the summaries' ``unit`` and ``country``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from resilience.errors import ConfigError
from resilience.io import read_csv
from resilience.measures.digital import INFO_COLUMNS
from resilience.report.text import markdown_table

PANELS = ("china", "countries", "eu")
# regional panel -> its config block (and its report section's file name)
BLOCKS = {"eu": "eu_regions", "china": "china_provinces"}


def check_panel(panel: str) -> str:
    if panel not in PANELS:
        raise ConfigError(f"panel {panel!r}: expected one of {list(PANELS)}")
    return panel


def block_name(region: str) -> str:
    if region not in BLOCKS:
        raise ConfigError(f"regional panel {region!r}: expected one of {sorted(BLOCKS)}")
    return BLOCKS[region]


def country_settings(config: dict) -> dict:
    """The country panel's settings in the layout of a regional block: its measures, its shock x
    exposure models (kind ``panel``; the other kinds run in rule ``model``), design and bootstrap."""
    figures = config["figures"]
    return {"measures": config["measures"], "models": [m for m in config["models"] if m["kind"] == "panel"],
            "episodes": [e["name"] for e in config["episodes"]],
            "figures": {"outcome": config["measures"]["outcome"], "cluster_exposure": figures["cluster_exposure"],
                        "digital_exposure": figures["exposure"]},
            **config["countries"]}


# The keys of a panel's settings each stage reads, adapters and captions alike (its rule's params: a
# change to another key, e.g. the bootstrap's draws, does not rerun the measures).
STAGE_KEYS = {
    "countries": {"measures": ("measures",), "models": ("models", "design", "bootstrap"),
                  "figure": ("measures", "figures", "episodes")},
    "eu": {"measures": ("measures", "growth"), "models": ("models", "design", "bootstrap"),
           "figure": ("figures", "episodes")},
    "china": {"measures": ("index_lagged_rows", "price_base_year", "episode"),
              "models": ("models", "episode", "bootstrap", "design", "composite"), "figure": ("years",)},
}


def panel_settings(config: dict, panel: str, stage: str | None = None) -> dict:
    """The config slice a stage of one panel reads (``STAGE_KEYS``); the whole settings when ``stage``
    is None (the countries' assembled by ``country_settings``, a regional panel's its block)."""
    check_panel(panel)
    settings = country_settings(config) if panel == "countries" else config[BLOCKS[panel]]
    return settings if stage is None else {key: settings[key] for key in STAGE_KEYS[panel][stage]}


# --- measures ------------------------------------------------------------------------------------------


def measures(panel_name: str, panel: pd.DataFrame, block: dict, episodes: list[dict]) -> dict[str, pd.DataFrame]:
    """growth, martin, martin_summary, exposures, exposure_summary, digital_composite of one panel."""
    check_panel(panel_name)
    growth, martin, exposures, info = _ADAPTERS[panel_name]["measures"](panel, block, episodes)
    units = _ADAPTERS[panel_name]["units"]
    return {"growth": growth, "martin": martin, "martin_summary": martin_summary(units(martin, block)),
            "exposures": exposures, "exposure_summary": exposure_summary(units(exposures, block)),
            "digital_composite": info[INFO_COLUMNS]}


def _country_measures(panel, block, episodes):
    from resilience import country_measures
    settings = block["measures"]
    growth, _ = country_measures.growth_table(panel, settings["growth_series"], settings["break_footnotes"])
    martin = country_measures.martin_table(panel, settings["outcome"], episodes, settings["benchmark"],
                                           settings["break_footnotes"])
    exposures, info = country_measures.exposures_table(panel, episodes, settings["digital"],
                                                       settings["exposure_max_back"], settings["outcome"])
    return growth, martin, exposures, info


def _eu_measures(panel, block, episodes):
    from resilience.regions import eu_measures
    martin = eu_measures.martin_table(panel, block["measures"]["outcomes"], episodes, block["measures"]["benchmark"])
    exposures, info = eu_measures.exposures_table(panel, block, episodes)
    return eu_measures.growth_panel(panel, block["growth"]), martin, exposures, info


def _china_measures(panel, block, episodes):
    from resilience.regions import china
    settings = {"index_lagged_rows": block["index_lagged_rows"], "price_base_year": block["price_base_year"]}
    growth = china.growth_table(panel, settings)
    martin = china.martin_table(china.outcome_levels(panel, settings), block["episode"])
    exposures = china.exposure_table(panel, block["episode"])
    return growth, martin, exposures, china.digital_info(exposures, block["episode"])


def _country_units(frame: pd.DataFrame, block: dict) -> pd.DataFrame:
    """Countries: the unit is the economy (iso3), its own group; the Martin outcome is measures.outcome."""
    out = frame.rename(columns={"iso3": "unit"})
    out = out.assign(country=out["unit"])
    return out if "phase" not in out.columns else out.assign(outcome=block["measures"]["outcome"])


def _china_units(frame: pd.DataFrame, block: dict) -> pd.DataFrame:
    """Provinces: their tables carry no country column; all are in one country."""
    from resilience.regions.china import COUNTRY
    return frame.assign(country=COUNTRY)


def martin_summary(martin: pd.DataFrame) -> pd.DataFrame:
    """Per outcome, episode and phase: units, countries, and the distribution of index_pp and index_ratio.

    ``martin``: outcome, unit, country, episode, phase, g_unit, index_pp, index_ratio."""
    columns = ["outcome", "episode", "phase", "units", "countries", "units_with_ref", "median_g_unit",
               "mean_index_pp", "median_index_pp", "sd_index_pp", "share_better", "median_index_ratio"]
    if martin.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (outcome, episode, phase), own in martin.groupby(["outcome", "episode", "phase"], sort=True):
        pp = own["index_pp"].dropna()
        rows.append({"outcome": outcome, "episode": episode, "phase": phase, "units": own["unit"].nunique(),
                     "countries": own["country"].nunique(), "units_with_ref": int(len(pp)),
                     "median_g_unit": own["g_unit"].median(), "mean_index_pp": pp.mean(),
                     "median_index_pp": pp.median(), "sd_index_pp": pp.std(),
                     "share_better": float((pp > 0).mean()) if len(pp) else float("nan"),
                     "median_index_ratio": own["index_ratio"].median()})
    return pd.DataFrame(rows, columns=columns)


def exposure_summary(exposures: pd.DataFrame) -> pd.DataFrame:
    """Per episode and variable: units, countries, mean, sd, min, max (``exposures``: unit, country,
    episode, variable, value)."""
    columns = ["episode", "variable", "units", "countries", "mean", "sd", "min", "max"]
    if exposures.empty:
        return pd.DataFrame(columns=columns)
    grouped = exposures.dropna(subset=["value"]).groupby(["episode", "variable"])
    out = grouped.agg(units=("unit", "nunique"), countries=("country", "nunique"), mean=("value", "mean"),
                      sd=("value", "std"), min=("value", "min"), max=("value", "max"))
    return out.reset_index()[columns]


# --- models ---------------------------------------------------------------------------------------------


def models(panel: str, inputs: dict, block: dict, episodes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficient table, bootstrap table, notes) of every configured shock x exposure model of one panel.

    ``inputs``: paths growth, exposures (and the panel's extras, e.g. China's composite frame).
    """
    check_panel(panel)
    growth, exposures = pd.read_parquet(inputs["growth"]), read_csv(inputs["exposures"])
    return _ADAPTERS[panel]["models"](growth, exposures, inputs, block, episodes)


def _country_models(growth, exposures, inputs, block, episodes):
    from resilience.country_models import run_models
    return run_models(growth, exposures, episodes, block)


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
    # imported here, not at the top: the Snakefile imports this module, and coefs loads scipy.stats (1.5 s)
    from resilience.models.coefs import COEF_COLUMNS
    return len(coefs) > 0 and set(COEF_COLUMNS) | {"p_boot"} <= set(coefs.columns)


# --- figures --------------------------------------------------------------------------------------------


# The figures of each panel (results/figures/<panel>_<name>.png): coverage, and resistance by tercile
# of pre-shock exposures (countries, EU: one figure per exposure; China: one figure, two exposures x two phases).
TERCILE_FIGURES = ["resistance_by_cluster", "resistance_by_digital"]
FIGURES = {"countries": [*TERCILE_FIGURES, "coverage"], "eu": [*TERCILE_FIGURES, "coverage"],
           "china": ["resistance_terciles", "coverage"]}


def figure(panel: str, name: str, inputs: dict, block: dict):
    """The matplotlib Figure ``name`` (one of ``FIGURES[panel]``) of one panel."""
    check_panel(panel)
    if name not in FIGURES[panel]:
        raise ConfigError(f"figure {panel}_{name}: expected one of {FIGURES[panel]}")
    return _ADAPTERS[panel]["figure"](name, inputs, block)


def _tercile_figure(panel: str, name: str, inputs: dict, block: dict, what: str, reference: str,
                    outcome_text: str):
    """Resistance (index_pp of ``figures.outcome``, first configured episode) by tercile of the block's
    cluster or digital exposure: ``figures.regions.resistance_by_tercile``."""
    from resilience.figures.regions import resistance_by_tercile
    from resilience.regions.eu_measures import resistance_frame
    units = _ADAPTERS[panel]["units"]
    fig, episode = block["figures"], block["episodes"][0]
    martin, exposures = units(read_csv(inputs["martin"]), block), units(read_csv(inputs["exposures"]), block)
    frame = resistance_frame(martin, exposures, fig["outcome"], episode)
    title = f"{what}: {outcome_text}, {episode}: resistance vs {reference}"
    exposure = fig["cluster_exposure" if name == "resistance_by_cluster" else "digital_exposure"]
    return resistance_by_tercile(frame, exposure, "index_pp", title=title,
                                 outcome_label=f"Resistance (pp vs {reference})",
                                 missing_note="(no data for this exposure in the available files)")


def _country_figure(name, inputs, block):
    from resilience.figures.regions import coverage_figure
    if name == "coverage":
        coverage = read_csv(inputs["coverage"]).rename(columns={"n_economies": "regions",
                                                                "share_missing": "missing_share"})
        return coverage_figure(coverage, title="Country panel: coverage")
    return _tercile_figure("countries", name, inputs, block, "Countries", block["measures"]["benchmark"],
                           block["figures"]["outcome"])


def _eu_figure(name, inputs, block):
    from resilience.figures.regions import coverage_figure
    if name == "coverage":
        return coverage_figure(read_csv(inputs["coverage"]), title="EU regional panel: coverage")
    return _tercile_figure("eu", name, inputs, block, "EU regions", "own country",
                           block["figures"]["outcome"].replace("_", " "))


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
    "countries": {"measures": _country_measures, "units": _country_units, "models": _country_models,
                  "figure": _country_figure},
    "eu": {"measures": _eu_measures, "units": lambda frame, block: frame, "models": _eu_models, "figure": _eu_figure,
           "section": _eu_section},
    "china": {"measures": _china_measures, "units": _china_units, "models": _china_models, "figure": _china_figure,
              "section": _china_section},
}
