# Measures layer: growth, Martin resistance/recovery, output loss, pre-shock exposures
# (digitalization composites, location quotients, diversity, controls), and the pooled composites.


rule growth:
    message:
        "Annual log growth of {params.growth_series}"
    input:
        panel="data/processed/countries_panel.parquet",
    output:
        growth="data/processed/growth.parquet",
        breaks=report(
            "results/tables/series_breaks.csv",
            caption="../report/series_breaks.rst",
            category="Tables",
            subcategory="Data and provenance",
        ),
    params:
        code=CODE,
        growth_series=config["measures"]["growth_series"],
        break_footnotes=config["measures"]["break_footnotes"],
    log:
        "logs/measures/growth.log",
    benchmark:
        "benchmarks/measures/growth.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/growth.py"


rule martin_indices:
    message:
        "Martin resistance and recovery of {params.outcome} against {params.benchmark}"
    input:
        panel="data/processed/countries_panel.parquet",
    output:
        report(
            "results/tables/martin_indices.csv",
            caption="../report/martin_indices.rst",
            category="Tables",
            subcategory="Resilience measures",
        ),
    params:
        code=CODE,
        outcome=config["measures"]["outcome"],
        benchmark=config["measures"]["benchmark"],
        episodes=config["episodes"],
        break_footnotes=config["measures"]["break_footnotes"],
    log:
        "logs/measures/martin_indices.log",
    benchmark:
        "benchmarks/measures/martin_indices.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/martin_indices.py"


rule output_loss:
    message:
        "Cumulative output loss and years below the pre-shock peak"
    input:
        panel="data/processed/countries_panel.parquet",
    output:
        report(
            "results/tables/output_loss.csv",
            caption="../report/output_loss.rst",
            category="Tables",
            subcategory="Resilience measures",
        ),
    params:
        code=CODE,
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


rule exposures:
    message:
        "Pre-shock digitalization, cluster and structure measures per episode"
    input:
        panel="data/processed/countries_panel.parquet",
    output:
        exposures=report(
            "results/tables/exposures.csv",
            caption="../report/exposures.rst",
            category="Tables",
            subcategory="Exposures and composites",
        ),
        composite=report(
            "results/tables/digital_composite.csv",
            caption="../report/digital_composite.rst",
            category="Tables",
            subcategory="Exposures and composites",
        ),
    params:
        code=CODE,
        episodes=config["episodes"],
        digital=config["measures"]["digital"],
        max_back=config["measures"]["exposure_max_back"],
        outcome=config["measures"]["outcome"],
    log:
        "logs/measures/exposures.log",
    benchmark:
        "benchmarks/measures/exposures.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/exposures.py"


rule composite_panel:
    message:
        "Entropy-weight resilience and digitalization indices, pooled over economy-years"
    input:
        panel="data/processed/countries_panel.parquet",
        growth="data/processed/growth.parquet",
    output:
        panel="data/processed/composite_panel.parquet",
        weights=report(
            "results/tables/composite_weights.csv",
            caption="../report/composite_weights.rst",
            category="Tables",
            subcategory="Exposures and composites",
        ),
    params:
        code=CODE,
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
