# The stages every panel runs after its source-specific panel rule (countries: country_panel;
# regions_eu.smk: Eurostat tidy, NUTS correspondence, eu_panel; regions_china.smk: china_panel): ONE set
# of rules, wildcard `panel` (countries | eu | china), each script calling one entry point of
# resilience.panel_stages with the panel's settings (panel_settings: countries = the top-level measures,
# models and `countries` keys; eu = eu_regions; china = china_provinces). What differs between the
# panels is that configuration plus a small adapter per panel in the package. Panel-specific extras
# stay with their panel: the countries' output loss, series breaks, pooled composite, cross-section and
# composite-index models (measures.smk, models.smk), the EU cross-sections and map, the provinces'
# entropy composite; the countries' section is the report's main body, with its own figures (figures.smk)
# beside the shared ones.
from resilience.panel_stages import BLOCKS as REGION_BLOCKS
from resilience.panel_stages import FIGURES as PANEL_FIGURES
from resilience.panel_stages import PANELS
from resilience.panel_stages import panel_settings as stage_settings

# Each panel's processed panel (written by its own panel rule).
PANEL_FILE = {
    "countries": "data/processed/countries_panel.parquet",
    "eu": "data/processed/eu_regions_panel.parquet",
    "china": "data/processed/china_panel.parquet",
}


# Inputs of the figures and the section beyond the generic tables: the panel's own results.
FIGURE_INPUTS = {
    "countries": {"martin": "results/tables/countries_martin.csv", "exposures": "results/tables/countries_exposures.csv",
                  "coverage": "results/tables/coverage.csv"},
    "eu": {"martin": "results/tables/eu_martin.csv", "exposures": "results/tables/eu_exposures.csv",
           "coverage": "results/tables/eu_coverage.csv"},
    "china": {"panel": PANEL_FILE["china"], "growth": "data/processed/china_growth.parquet",
              "provenance": "results/tables/china_provenance.csv", "martin": "results/tables/china_martin.csv",
              "exposures": "results/tables/china_exposures.csv"},
}
MODEL_EXTRAS = {"countries": {}, "eu": {}, "china": {"composite": "data/processed/china_composite.parquet"}}
REGION_SECTION_INPUTS = {
    "eu": {
        **region_tables("eu", ["provenance", "nuts_summary", "coverage", "martin_summary", "exposure_summary",
                               "digital_composite", "models", "cross_section", "map_status"]),
        "notes": "results/models/eu_models.json",
        "figures": expand("results/figures/eu_{name}.png", name=[*PANEL_FIGURES["eu"], "resistance_map"]),
    },
    "china": {
        **region_tables("china", ["provenance", "coverage", "footnotes", "martin", "models"]),
        "alignment": "results/tables/china_index_alignment.csv",
        "weights": "results/tables/china_composite_weights.csv",
        "notes": "results/models/china_models.json",
        "figures": expand("results/figures/china_{name}.png", name=PANEL_FIGURES["china"]),
    },
}
REGION_OF_BLOCK = {block: region for region, block in REGION_BLOCKS.items()}
# The panels each shared rule runs for (its `panel` wildcard constraint).
STAGE_PANELS = {"panel_measures": PANELS, "panel_models": PANELS, "panel_figure": PANELS}


wildcard_constraints:
    panel="|".join(PANELS),


rule panel_measures:
    message:
        "{wildcards.panel} panel: growth, Martin indices against the configured benchmark, pre-shock exposures and digital composites"
    input:
        panel=lambda w: PANEL_FILE[w.panel],
    output:
        growth="data/processed/{panel}_growth.parquet",
        martin=report(
            "results/tables/{panel}_martin.csv",
            caption="../report/panel_martin.rst",
            category="Tables",
            subcategory="Panels",
        ),
        martin_summary=report(
            "results/tables/{panel}_martin_summary.csv",
            caption="../report/panel_martin_summary.rst",
            category="Tables",
            subcategory="Panels",
        ),
        exposures=report(
            "results/tables/{panel}_exposures.csv",
            caption="../report/panel_exposures.rst",
            category="Tables",
            subcategory="Panels",
        ),
        exposure_summary=report(
            "results/tables/{panel}_exposure_summary.csv",
            caption="../report/panel_exposure_summary.rst",
            category="Tables",
            subcategory="Panels",
        ),
        digital_composite=report(
            "results/tables/{panel}_digital_composite.csv",
            caption="../report/panel_digital_composite.rst",
            category="Tables",
            subcategory="Panels",
        ),
    params:
        code=CODE,
        settings=panel_settings("measures"),
        episodes=panel_episodes,
    log:
        "logs/panels/{panel}_measures.log",
    benchmark:
        "benchmarks/panels/{panel}_measures.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_measures.py"


rule panel_models:
    message:
        "{wildcards.panel} panel: growth on shock x pre-shock exposures, wild cluster bootstrap"
    input:
        unpack(lambda w: MODEL_EXTRAS[w.panel]),
        growth="data/processed/{panel}_growth.parquet",
        exposures="results/tables/{panel}_exposures.csv",
    wildcard_constraints:
        panel="|".join(STAGE_PANELS["panel_models"]),
    output:
        models=report(
            "results/tables/{panel}_models.csv",
            caption="../report/panel_models.rst",
            category="Tables",
            subcategory="Panels",
        ),
        md="results/tables/{panel}_models.md",
        tex="results/tables/{panel}_models.tex",
        bootstrap=report(
            "results/tables/{panel}_wild_bootstrap.csv",
            caption="../report/panel_wild_bootstrap.rst",
            category="Tables",
            subcategory="Panels",
        ),
        notes="results/models/{panel}_models.json",
    params:
        code=CODE,
        settings=panel_settings("models"),
        episodes=panel_episodes,
    log:
        "logs/panels/{panel}_models.log",
    benchmark:
        "benchmarks/panels/{panel}_models.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_models.py"


rule panel_figure:
    message:
        "{wildcards.panel} panel: figure {wildcards.figure}"
    input:
        unpack(lambda w: FIGURE_INPUTS[w.panel]),
    output:
        png=report(
            "results/figures/{panel}_{figure}.png",
            caption="../report/panel_figure.rst",
            category="Figures",
            subcategory="Panels",
        ),
        pdf="results/figures/{panel}_{figure}.pdf",
    params:
        code=CODE,
        settings=panel_settings("figure"),
    wildcard_constraints:
        panel="|".join(STAGE_PANELS["panel_figure"]),
        figure="|".join(sorted({f for names in PANEL_FIGURES.values() for f in names})),
    log:
        "logs/panels/{panel}_figure_{figure}.log",
    benchmark:
        "benchmarks/panels/{panel}_figure_{figure}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_figure.py"


# The section's file is named after the panel's config block (eu_regions.md, china_provinces.md).
rule panel_section:
    message:
        "{wildcards.block} panel: report section"
    input:
        unpack(lambda w: REGION_SECTION_INPUTS[REGION_OF_BLOCK[w.block]]),
    output:
        "results/sections/{block}.md",
    params:
        code=CODE,
        region=lambda w: REGION_OF_BLOCK[w.block],
        settings=lambda w: config[w.block],
    wildcard_constraints:
        block="|".join(sorted(REGION_OF_BLOCK)),
    log:
        "logs/panels/{block}_section.log",
    benchmark:
        "benchmarks/panels/{block}_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_section.py"
