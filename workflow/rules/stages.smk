# The stages every panel runs after its source-specific panel rule (countries: country_panel;
# panel_eu.smk: Eurostat tidy, NUTS correspondence, eu_panel; panel_china.smk: china_panel): ONE set
# of rules, wildcard `panel`, each script calling one entry point of resilience.panels.stages. The
# panels, their files, figures and the config slice each stage reads come from the registry
# (resilience.panels: one subpackage per panel behind resilience.panels.base.Panel); nothing here
# names a panel. Panel-specific extras stay with their panel's own rule file (the countries' output
# loss, series breaks, pooled composite and cross-section; the EU cross-sections and map; the
# provinces' entropy composite).
PANELS = panel_registry.ids()
# The panels with a report section of their own (the countries' section is the report's main body).
SECTION_PANELS = [p for p in PANELS if panel_registry.get(p).section_inputs is not None]


wildcard_constraints:
    panel="|".join(PANELS),


rule panel_measures:
    message:
        "{wildcards.panel} panel: growth, Martin indices against the configured benchmark, pre-shock exposures and digital composites"
    input:
        panel=lambda w: panel_registry.get(w.panel).panel_file,
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
        code=script_code("panel_measures.py"),
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
        unpack(panel_input("model_inputs")),
        growth="data/processed/{panel}_growth.parquet",
        exposures="results/tables/{panel}_exposures.csv",
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
        code=script_code("panel_models.py"),
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
        unpack(panel_input("figure_inputs")),
    output:
        png=report(
            "results/figures/{panel}_{figure}.png",
            caption="../report/panel_figure.rst",
            category="Figures",
            subcategory="Panels",
        ),
        pdf="results/figures/{panel}_{figure}.pdf",
    params:
        code=script_code("panel_figure.py"),
        settings=panel_settings("figure"),
    wildcard_constraints:
        figure="|".join(sorted({f for p in PANELS for f in panel_registry.get(p).figures})),
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


rule panel_section:
    message:
        "{wildcards.panel} panel: report section"
    input:
        unpack(panel_input("section_inputs")),
    output:
        "results/sections/{panel}.md",
    params:
        code=script_code("panel_section.py"),
        settings=lambda w: panel_registry.get(w.panel).settings(config),
    wildcard_constraints:
        panel="|".join(SECTION_PANELS),
    log:
        "logs/panels/{panel}_section.log",
    benchmark:
        "benchmarks/panels/{panel}_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_section.py"
