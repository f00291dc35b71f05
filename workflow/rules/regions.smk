# The regional panels (issue 5) after their source-specific panel rules (regions_eu.smk: Eurostat tidy,
# NUTS correspondence, eu_panel, the EU map and cross-sections; regions_china.smk: china_panel and the
# entropy composite): ONE set of rules, wildcard `region` (eu | china), each script calling one entry
# point of resilience.regions.regional with the panel's config block (eu_regions | china_provinces).
# What differs between the panels is that block (benchmark, exposures, models and their `design:`
# fixed effects, bootstrap cluster, standardisation) plus a small adapter per panel in the package.
from resilience.regions.regional import BLOCKS as REGION_BLOCKS
from resilience.regions.regional import FIGURES as REGION_FIGURES

REGIONS = sorted(REGION_BLOCKS)
# Each panel's processed panel (written by its own panel rule).
REGION_PANEL = {"eu": "data/processed/eu_regions_panel.parquet", "china": "data/processed/china_panel.parquet"}


# Inputs of the figures and the section beyond the generic tables: the panel's own results.
REGION_FIGURE_INPUTS = {
    "eu": {"martin": "results/tables/eu_martin.csv", "exposures": "results/tables/eu_exposures.csv",
           "coverage": "results/tables/eu_coverage.csv"},
    "china": {"panel": REGION_PANEL["china"], "growth": "data/processed/china_growth.parquet",
              "provenance": "results/tables/china_provenance.csv", "martin": "results/tables/china_martin.csv",
              "exposures": "results/tables/china_exposures.csv"},
}
REGION_MODEL_EXTRAS = {"eu": {}, "china": {"composite": "data/processed/china_composite.parquet"}}
REGION_SECTION_INPUTS = {
    "eu": {
        **region_tables("eu", ["provenance", "nuts_summary", "coverage", "martin_summary", "exposure_summary",
                               "digital_notes", "models", "cross_section", "map_status"]),
        "notes": "results/models/eu_models.json",
        "figures": expand("results/figures/eu_{name}.png", name=[*REGION_FIGURES["eu"], "resistance_map"]),
    },
    "china": {
        **region_tables("china", ["provenance", "coverage", "footnotes", "martin", "models"]),
        "alignment": "results/tables/china_index_alignment.csv",
        "weights": "results/tables/china_composite_weights.csv",
        "notes": "results/models/china_models.json",
        "figures": expand("results/figures/china_{name}.png", name=REGION_FIGURES["china"]),
    },
}
REGION_OF_BLOCK = {block: region for region, block in REGION_BLOCKS.items()}


wildcard_constraints:
    region="|".join(REGIONS),


rule regional_measures:
    message:
        "{wildcards.region} panel: growth, Martin indices against the configured benchmark, pre-shock exposures"
    input:
        panel=lambda w: REGION_PANEL[w.region],
    output:
        growth="data/processed/{region}_growth.parquet",
        martin=report(
            "results/tables/{region}_martin.csv",
            caption="../report/regional_martin.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
        martin_summary=report(
            "results/tables/{region}_martin_summary.csv",
            caption="../report/regional_martin_summary.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
        exposures=report(
            "results/tables/{region}_exposures.csv",
            caption="../report/regional_exposures.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
        exposure_summary=report(
            "results/tables/{region}_exposure_summary.csv",
            caption="../report/regional_exposure_summary.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
        digital_notes=report(
            "results/tables/{region}_digital_notes.csv",
            caption="../report/regional_digital_notes.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
    params:
        code=CODE,
        settings=region_block,
        episodes=region_episodes,
    log:
        "logs/regions/{region}_measures.log",
    benchmark:
        "benchmarks/regions/{region}_measures.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/regional_measures.py"


rule regional_models:
    message:
        "{wildcards.region} panel: growth on shock x pre-shock exposures, wild cluster bootstrap"
    input:
        unpack(lambda w: REGION_MODEL_EXTRAS[w.region]),
        growth="data/processed/{region}_growth.parquet",
        exposures="results/tables/{region}_exposures.csv",
    output:
        models=report(
            "results/tables/{region}_models.csv",
            caption="../report/regional_models.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
        md="results/tables/{region}_models.md",
        bootstrap=report(
            "results/tables/{region}_wild_bootstrap.csv",
            caption="../report/regional_wild_bootstrap.rst",
            category="Tables",
            subcategory="Regional panels",
        ),
        notes="results/models/{region}_models.json",
    params:
        code=CODE,
        settings=region_block,
        episodes=region_episodes,
    log:
        "logs/regions/{region}_models.log",
    benchmark:
        "benchmarks/regions/{region}_models.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/regional_models.py"


rule regional_figure:
    message:
        "{wildcards.region} panel: figure {wildcards.figure}"
    input:
        unpack(lambda w: REGION_FIGURE_INPUTS[w.region]),
    output:
        png=report(
            "results/figures/{region}_{figure}.png",
            caption="../report/regional_figure.rst",
            category="Figures",
            subcategory="Regional panels",
        ),
        pdf="results/figures/{region}_{figure}.pdf",
    params:
        code=CODE,
        settings=region_block,
    wildcard_constraints:
        figure="|".join(sorted({f for names in REGION_FIGURES.values() for f in names})),
    log:
        "logs/regions/{region}_figure_{figure}.log",
    benchmark:
        "benchmarks/regions/{region}_figure_{figure}.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/regional_figure.py"


# The section's file is named after the panel's config block (eu_regions.md, china_provinces.md).
rule regional_section:
    message:
        "{wildcards.panel} panel: report section"
    input:
        unpack(lambda w: REGION_SECTION_INPUTS[REGION_OF_BLOCK[w.panel]]),
    output:
        "results/sections/{panel}.md",
    params:
        code=CODE,
        region=lambda w: REGION_OF_BLOCK[w.panel],
        settings=lambda w: config[w.panel],
    wildcard_constraints:
        panel="|".join(sorted(REGION_OF_BLOCK)),
    log:
        "logs/regions/{panel}_section.log",
    benchmark:
        "benchmarks/regions/{panel}_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/regional_section.py"
