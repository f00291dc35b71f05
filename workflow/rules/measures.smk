# Measures of the country panel beyond the stages every panel runs (stages.smk, panel=countries: growth,
# Martin indices, pre-shock exposures and digital composites): the series breaks the growth rates leave
# out, the output loss, and the pooled composite indices.


rule series_breaks:
    message:
        "Series breaks (publisher footnotes) in the growth series {params.growth_series}"
    input:
        panel=rules.country_panel.output.panel,
    output:
        report(
            "results/tables/series_breaks.csv",
            caption="../report/series_breaks.rst",
            category="Tables",
            subcategory="Data and provenance",
        ),
    params:
        code=script_code("series_breaks.py"),
        growth_series=config["measures"]["growth_series"],
        break_footnotes=config["measures"]["break_footnotes"],
    log:
        "logs/measures/series_breaks.log",
    benchmark:
        "benchmarks/measures/series_breaks.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/series_breaks.py"


rule output_loss:
    message:
        "Cumulative output loss and years below the pre-shock peak"
    input:
        panel=rules.country_panel.output.panel,
    output:
        report(
            "results/tables/output_loss.csv",
            caption="../report/output_loss.rst",
            category="Tables",
            subcategory="Resilience measures",
        ),
    params:
        code=script_code("output_loss.py"),
        outcome=config["measures"]["outcome"],
        episodes=config["episodes"],
        trend_years=config["measures"]["trend_years"],
        peak_window=config["measures"]["peak_window"],
        last_year=config["years"]["end"],
        break_footnotes=config["measures"]["break_footnotes"],
    log:
        "logs/measures/output_loss.log",
    benchmark:
        "benchmarks/measures/output_loss.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/output_loss.py"


rule composite_panel:
    message:
        "Entropy-weight resilience and digitalization indices, pooled over economy-years"
    input:
        panel=rules.country_panel.output.panel,
        growth="data/processed/countries_growth.parquet",
    output:
        panel="data/processed/composite_panel.parquet",
        weights=report(
            "results/tables/composite_weights.csv",
            caption="../report/composite_weights.rst",
            category="Tables",
            subcategory="Exposures and composites",
        ),
    params:
        code=script_code("composite_panel.py"),
        composite=config["measures"]["composite_panel"],
    log:
        "logs/measures/composite_panel.log",
    benchmark:
        "benchmarks/measures/composite_panel.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/composite_panel.py"
