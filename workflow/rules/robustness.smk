# The robustness evidence of every panel's headline model (resilience.robustness.stage): event study,
# local projections, placebo shock dates, size weighting and adjusted p-values, their figures per
# episode, and the report section "Is the answer robust?". Wildcard `panel` as in stages.smk; the
# headline model, window, horizons, size series and Romano-Wolf draws are each panel's `robustness`
# block (Panel.robustness_settings). Beside them: adaptation per unit and episode and its models
# (rule panel_adaptation, the panel's `adaptation` block) and when the exposures were measured, with
# the exposure-timing placebo (rule panel_exposure_timing).
ROBUSTNESS_TABLES = ["event_study", "pretrends", "local_projections", "placebo", "placebo_summary",
                     "size_weighted", "adjusted_p"]
ROBUSTNESS_FIGURES = ["event_study", "local_projections", "placebo"]
# The adaptation tables of every panel (rule panel_adaptation), also read by the robustness and findings
# sections.
ADAPTATION_TABLES = ["adaptation", "adaptation_models"]
TIMING_TABLES = ["exposure_timing"]
# The specification curve (resilience.robustness.specification_curve) of the panels with a
# `specification_curve` block: every specification, its summary per term and the income correlation.
SPEC_CURVE_TABLES = ["spec_curve", "spec_curve_summary", "spec_curve_collinearity"]
SPEC_CURVE_PANELS = [p for p in PANELS if spec_curve_block(p)]
SPEC_CURVE_SECTION_TABLES = ["spec_curve_summary", "spec_curve_collinearity"]


rule panel_robustness:
    message:
        "{wildcards.panel} panel: event study, local projections, placebo dates, size weighting and adjusted p-values of the headline model"
    input:
        unpack(robustness_inputs),
    output:
        event_study=report(
            "results/tables/{panel}_event_study.csv",
            caption="../report/robustness_event_study.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        pretrends=report(
            "results/tables/{panel}_pretrends.csv",
            caption="../report/robustness_pretrends.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        local_projections=report(
            "results/tables/{panel}_local_projections.csv",
            caption="../report/robustness_local_projections.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        placebo=report(
            "results/tables/{panel}_placebo.csv",
            caption="../report/robustness_placebo.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        placebo_summary=report(
            "results/tables/{panel}_placebo_summary.csv",
            caption="../report/robustness_placebo_summary.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        size_weighted=report(
            "results/tables/{panel}_size_weighted.csv",
            caption="../report/robustness_size_weighted.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        adjusted_p=report(
            "results/tables/{panel}_adjusted_p.csv",
            caption="../report/robustness_adjusted_p.rst",
            category="Tables",
            subcategory="Robustness",
        ),
    params:
        code=script_code("panel_robustness.py"),
        settings=panel_settings("robustness"),
        episodes=panel_episodes,
    log:
        "logs/panels/{panel}_robustness.log",
    benchmark:
        "benchmarks/panels/{panel}_robustness.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_robustness.py"


rule panel_adaptation:
    message:
        "{wildcards.panel} panel: adaptation (structural change, hysteresis) per unit and episode and its models"
    input:
        growth="data/processed/{panel}_growth.parquet",
        exposures="results/tables/{panel}_exposures.csv",
        panel=panel_input("panel_file"),
    output:
        adaptation=report(
            "results/tables/{panel}_adaptation.csv",
            caption="../report/adaptation.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        models=report(
            "results/tables/{panel}_adaptation_models.csv",
            caption="../report/adaptation_models.rst",
            category="Tables",
            subcategory="Robustness",
        ),
    params:
        code=script_code("panel_adaptation.py"),
        settings=panel_settings("adaptation"),
        episodes=panel_episodes,
    log:
        "logs/panels/{panel}_adaptation.log",
    benchmark:
        "benchmarks/panels/{panel}_adaptation.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_adaptation.py"


rule panel_exposure_timing:
    message:
        "{wildcards.panel} panel: when the exposures were measured, and the exposure-timing placebo"
    input:
        growth="data/processed/{panel}_growth.parquet",
        exposures="results/tables/{panel}_exposures.csv",
        panel=panel_input("panel_file"),
    output:
        report(
            "results/tables/{panel}_exposure_timing.csv",
            caption="../report/exposure_timing.rst",
            category="Tables",
            subcategory="Robustness",
        ),
    params:
        code=script_code("panel_exposure_timing.py"),
        settings=panel_settings("robustness"),
        measures=panel_settings("measures"),
        episodes=panel_episodes,
    log:
        "logs/panels/{panel}_exposure_timing.log",
    benchmark:
        "benchmarks/panels/{panel}_exposure_timing.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_exposure_timing.py"


rule panel_robustness_figure:
    message:
        "{wildcards.panel} panel: robustness figure {wildcards.kind}, {wildcards.episode}"
    input:
        event_study="results/tables/{panel}_event_study.csv",
        local_projections="results/tables/{panel}_local_projections.csv",
        placebo="results/tables/{panel}_placebo.csv",
        placebo_summary="results/tables/{panel}_placebo_summary.csv",
    output:
        png=report(
            "results/figures/{panel}_{kind}_{episode}.png",
            caption="../report/robustness_figure.rst",
            category="Figures",
            subcategory="Robustness",
        ),
        pdf="results/figures/{panel}_{kind}_{episode}.pdf",
    params:
        code=script_code("panel_robustness_figure.py"),
        label=lambda w: panel_registry.get(w.panel).label,
    wildcard_constraints:
        kind="|".join(ROBUSTNESS_FIGURES),
    log:
        "logs/panels/{panel}_robustness_{kind}_{episode}.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_robustness_figure.py"


rule panel_spec_curve:
    message:
        "{wildcards.panel} panel: specification curve of the headline model"
    input:
        unpack(spec_curve_inputs),
        models=rules.panel_models.output.models,
    output:
        curve=report(
            "results/tables/{panel}_spec_curve.csv",
            caption="../report/robustness_spec_curve.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        summary=report(
            "results/tables/{panel}_spec_curve_summary.csv",
            caption="../report/robustness_spec_curve_summary.rst",
            category="Tables",
            subcategory="Robustness",
        ),
        collinearity=report(
            "results/tables/{panel}_spec_curve_collinearity.csv",
            caption="../report/robustness_spec_curve_collinearity.rst",
            category="Tables",
            subcategory="Robustness",
        ),
    params:
        code=script_code("panel_spec_curve.py"),
        settings=lambda w: panel_registry.get(w.panel).settings(config),
        episodes=lambda w: [e for e in panel_episodes(w) if e["name"] in panel_registry.get(w.panel).robustness_episodes(config)],
        block=lambda w: spec_curve_block(w.panel),
        headline_models=lambda w: panel_registry.get(w.panel).headline_models(config),
    wildcard_constraints:
        panel="|".join(SPEC_CURVE_PANELS),
    log:
        "logs/panels/{panel}_spec_curve.log",
    benchmark:
        "benchmarks/panels/{panel}_spec_curve.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_spec_curve.py"


rule panel_spec_curve_figure:
    message:
        "{wildcards.panel} panel: specification curve figure, {wildcards.episode}"
    input:
        curve=rules.panel_spec_curve.output.curve,
    output:
        png=report(
            "results/figures/{panel}_spec_curve_{episode}.png",
            caption="../report/robustness_spec_curve_figure.rst",
            category="Figures",
            subcategory="Robustness",
        ),
        pdf="results/figures/{panel}_spec_curve_{episode}.pdf",
    params:
        code=script_code("panel_spec_curve_figure.py"),
        label=lambda w: panel_registry.get(w.panel).label,
    wildcard_constraints:
        panel="|".join(SPEC_CURVE_PANELS),
    log:
        "logs/panels/{panel}_spec_curve_{episode}.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_spec_curve_figure.py"


rule robustness_section:
    message:
        "Report section: is the answer robust?"
    input:
        tables=[f"results/tables/{p}_{t}.csv" for p in PANELS for t in ROBUSTNESS_TABLES],
        adaptation=[f"results/tables/{p}_{t}.csv" for p in PANELS for t in ADAPTATION_TABLES],
        figures=[f for p in PANELS for f in robustness_figure_files(p)],
        spec_curve_tables=[f"results/tables/{p}_{t}.csv" for p in SPEC_CURVE_PANELS for t in SPEC_CURVE_SECTION_TABLES],
        spec_curve_figures=[f for p in SPEC_CURVE_PANELS for f in spec_curve_files(p) if f.endswith(".png")],
    output:
        "results/sections/robustness.md",
    params:
        code=script_code("robustness_section.py"),
        panels=robustness_section_panels(),
        tables=ROBUSTNESS_TABLES,
        adaptation_tables=ADAPTATION_TABLES,
        spec_curve_panels=SPEC_CURVE_PANELS,
        spec_curve_tables=SPEC_CURVE_SECTION_TABLES,
    log:
        "logs/report/robustness_section.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/robustness_section.py"
