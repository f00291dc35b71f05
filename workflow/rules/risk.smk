# Complex risk: the GPR, EPU and WUI files -> one tidy table; the global series, their
# annual and period means and the country-year risk panel; the figure; risk as a continuous shock in
# the country panel; the report section. Every risk dataset is optional: without it, outputs say so.
from resilience.context.risk.checks import risk_datasets

RISK = config["complex_risk"]
RISK_DATASETS = risk_datasets(RISK)


rule complex_risk_series:
    message:
        "Parsing the complex-risk indices ({params.n_datasets} files)"
    input:
        raw=expand("data/raw/{dataset}", dataset=RISK_DATASETS),
    output:
        tidy="data/interim/complex_risk_series.parquet",
        sources=report(
            "results/tables/complex_risk_sources.csv",
            caption="../report/complex_risk_sources.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
    params:
        code=script_code("complex_risk_series.py"),
        n_datasets=len(RISK_DATASETS),
    log:
        "logs/context/complex_risk_series.log",
    benchmark:
        "benchmarks/context/complex_risk_series.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/complex_risk_series.py"


rule complex_risk_tables:
    message:
        "Complex risk: global series from {params.start}, annual and period means, country-year panel"
    input:
        tidy=rules.complex_risk_series.output.tidy,
    output:
        series=report(
            "results/tables/complex_risk_global_series.csv",
            caption="../report/complex_risk_global_series.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
        annual=report(
            "results/tables/complex_risk_annual.csv",
            caption="../report/complex_risk_annual.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
        periods=report(
            "results/tables/complex_risk_period_means.csv",
            caption="../report/complex_risk_period_means.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
        peaks=report(
            "results/tables/complex_risk_daily_peaks.csv",
            caption="../report/complex_risk_daily_peaks.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
        panel="data/processed/complex_risk_country_panel.parquet",
    params:
        code=script_code("complex_risk_tables.py"),
        start=RISK["start"],
        global_series=RISK["global_series"],
        periods=RISK["periods"],
        daily=RISK["daily"],
        country_indices=RISK["country_indices"],
    log:
        "logs/context/complex_risk_tables.log",
    benchmark:
        "benchmarks/context/complex_risk_tables.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/complex_risk_tables.py"


rule figure_complex_risk:
    message:
        "Figure: global risk and uncertainty series with the shock episodes"
    input:
        series=rules.complex_risk_tables.output.series,
    output:
        png=report(
            "results/figures/complex_risk_global.png",
            caption="../report/complex_risk_global.rst",
            category="Figures",
            subcategory="Context analyses: complex risk",
        ),
        pdf="results/figures/complex_risk_global.pdf",
    params:
        code=script_code("figure_complex_risk.py"),
        start=RISK["start"],
        global_series=RISK["global_series"],
        events=RISK["events"],
        episodes=config["episodes"],
    log:
        "logs/figures/complex_risk_global.log",
    benchmark:
        "benchmarks/figures/complex_risk_global.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/figure_complex_risk.py"


rule complex_risk_model:
    message:
        "Complex risk as a continuous shock: {params.n_variants} panel model variant(s)"
    input:
        growth="data/processed/countries_growth.parquet",
        exposures="results/tables/countries_exposures.csv",
        panel=rules.complex_risk_tables.output.panel,
    output:
        csv=report(
            "results/tables/complex_risk_model.csv",
            caption="../report/complex_risk_model.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
        md="results/tables/complex_risk_model.md",
        tex="results/tables/complex_risk_model.tex",
        notes="results/models/complex_risk_model.json",
    params:
        code=script_code("complex_risk_model.py"),
        model=RISK["model"],
        n_variants=len(RISK["model"]["variants"]),
    log:
        "logs/context/complex_risk_model.log",
    benchmark:
        "benchmarks/context/complex_risk_model.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/complex_risk_model.py"


rule complex_risk_section:
    message:
        "Report section: complex risk"
    input:
        sources=rules.complex_risk_series.output.sources,
        periods=rules.complex_risk_tables.output.periods,
        peaks=rules.complex_risk_tables.output.peaks,
        coefs=rules.complex_risk_model.output.csv,
        model_md=rules.complex_risk_model.output.md,
        notes=rules.complex_risk_model.output.notes,
        figure=rules.figure_complex_risk.output.png,
        # Not read by the text, but part of what the section presents: listing them here makes every
        # results file of this analysis a dependency of the report (and so of the results manifest).
        companions=[
            rules.complex_risk_tables.output.series,
            rules.complex_risk_tables.output.annual,
            rules.complex_risk_model.output.tex,
            rules.figure_complex_risk.output.pdf,
        ],
    output:
        "results/sections/complex_risk.md",
    params:
        code=script_code("complex_risk_section.py"),
        settings={"start": RISK["start"], "model": RISK["model"]},
    log:
        "logs/report/complex_risk_section.log",
    benchmark:
        "benchmarks/report/complex_risk_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/complex_risk_section.py"


rule complex_risk_trend:
    message:
        "Complex risk: did each index keep rising from period to period?"
    input:
        periods=rules.complex_risk_tables.output.periods,
        annual=rules.complex_risk_tables.output.annual,
    output:
        trend=report(
            "results/tables/complex_risk_trend.csv",
            caption="../report/complex_risk_trend.rst",
            category="Tables",
            subcategory="Context analyses: complex risk",
        ),
    params:
        code=script_code("complex_risk_trend.py"),
    log:
        "logs/context/complex_risk_trend.log",
    benchmark:
        "benchmarks/context/complex_risk_trend.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/complex_risk_trend.py"
