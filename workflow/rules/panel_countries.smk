# Panel layer: one country-year table with the preferred available source per series, and the
# provenance of every series (which dataset, vintage, file sha256, or why it is unavailable).


rule country_panel:
    message:
        "Assembling the country-year panel from {params.n_datasets} tidy tables"
    input:
        tidy=expand("data/interim/{dataset}.parquet", dataset=PANEL_DATASETS),
        unmatched=expand("data/interim/{dataset}.unmatched.csv", dataset=PANEL_DATASETS),
        raw=expand("data/raw/{dataset}", dataset=PANEL_DATASETS),
        countries="data/interim/country_metadata.parquet",
    output:
        panel="data/processed/countries_panel.parquet",
        provenance=report(
            "results/tables/provenance.csv",
            caption="../report/provenance.rst",
            category="Tables",
            subcategory="Data and provenance",
        ),
        unmatched=report(
            "results/tables/unmatched_countries.csv",
            caption="../report/unmatched_countries.rst",
            category="Tables",
            subcategory="Data and provenance",
        ),
        coverage=report(
            "results/tables/coverage.csv",
            caption="../report/coverage.rst",
            category="Tables",
            subcategory="Data and provenance",
        ),
    params:
        code=script_code("country_panel.py"),
        series=config["series"],
        years=config["years"],
        n_datasets=len(PANEL_DATASETS),
    log:
        "logs/panels/country_panel.log",
    benchmark:
        "benchmarks/panels/country_panel.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/country_panel.py"
