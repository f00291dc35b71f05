# Clean layer: each raw file -> one tidy long table (iso3, entity, year, series, value, source,
# vintage, flags), countries resolved to ISO3, unmatched names listed (never silently dropped).


rule country_metadata:
    message:
        "Reading World Bank country metadata (region, income group, aggregates)"
    input:
        raw="data/raw/wdi_country_meta",
    output:
        "data/interim/country_metadata.parquet",
    params:
        code=script_code("country_metadata.py"),
    log:
        "logs/clean/country_metadata.log",
    benchmark:
        "benchmarks/clean/country_metadata.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/country_metadata.py"


rule clean_source:
    message:
        "Parsing {wildcards.dataset} into a tidy table"
    input:
        raw="data/raw/{dataset}",
        countries="data/interim/country_metadata.parquet",
    output:
        tidy="data/interim/{dataset}.parquet",
        unmatched="data/interim/{dataset}.unmatched.csv",
    params:
        code=script_code("clean_source.py"),
        row=catalog_row,
        years=config["years"],
    log:
        "logs/clean/{dataset}.log",
    benchmark:
        "benchmarks/clean/{dataset}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/clean_source.py"
