# The digital divide: internet use and people offline by World Bank income group
# and for the world, from the tidy WDI tables (aggregates kept by clean_source); then its report section.

DIVIDE = config["digital_divide"]


rule digital_divide:
    message:
        "Computing the digital divide (people offline by income group)"
    input:
        internet=f"data/interim/{DIVIDE['internet']['dataset']}.parquet",
        population=f"data/interim/{DIVIDE['population']['dataset']}.parquet",
    output:
        divide=report(
            "results/tables/digital_divide.csv",
            caption="../report/digital_divide_table.rst",
            category="Tables",
            subcategory="Context analyses: digital divide",
        ),
        latest=report(
            "results/tables/digital_divide_latest.csv",
            caption="../report/digital_divide_latest.rst",
            category="Tables",
            subcategory="Context analyses: digital divide",
        ),
        trend=report(
            "results/tables/digital_divide_trend.csv",
            caption="../report/digital_divide_trend.rst",
            category="Tables",
            subcategory="Context analyses: digital divide",
        ),
        png=report(
            "results/figures/digital_divide.png",
            caption="../report/digital_divide.rst",
            category="Figures",
            subcategory="Context analyses: digital divide",
        ),
        pdf="results/figures/digital_divide.pdf",
    params:
        code=script_code("digital_divide.py"),
        divide=DIVIDE,
    log:
        "logs/context/digital_divide.log",
    benchmark:
        "benchmarks/context/digital_divide.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/digital_divide.py"


rule digital_divide_section:
    message:
        "Writing the report section on the digital divide"
    input:
        latest=rules.digital_divide.output.latest,
        trend=rules.digital_divide.output.trend,
        figure=rules.digital_divide.output.png,
    output:
        section="results/sections/digital_divide.md",
    params:
        code=script_code("digital_divide_section.py"),
        divide=DIVIDE,
        years=config["years"],
    log:
        "logs/context/digital_divide_section.log",
    benchmark:
        "benchmarks/context/digital_divide_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/digital_divide_section.py"


rule digital_divide_itu:
    message:
        "People offline by ITU's own aggregates ({params.itu[dataset]})"
    input:
        raw=f"data/raw/{DIVIDE['itu_aggregates']['dataset']}",
    output:
        offline=report(
            "results/tables/digital_divide_itu.csv",
            caption="../report/digital_divide_itu.rst",
            category="Tables",
            subcategory="Context analyses: digital divide",
        ),
    params:
        code=script_code("digital_divide_itu.py"),
        itu=DIVIDE["itu_aggregates"],
    log:
        "logs/context/digital_divide_itu.log",
    benchmark:
        "benchmarks/context/digital_divide_itu.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/digital_divide_itu.py"
