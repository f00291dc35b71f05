# Chinese provinces (issue 5): NBS 分省年度数据 exports, the PKU digital finance index and compiled
# panels -> one province-year panel -> real GDP growth, Martin indices of the 2020 shock against the
# national benchmark, pre-shock exposures -> two-way FE models with the wild cluster bootstrap by
# province -> figures -> report section. Configuration: `china_provinces` in config.yaml.

CHINA = config["china_provinces"]
CHINA_DATASETS = sorted({s["dataset"] for spec in CHINA["series"].values() for s in spec["sources"]})


rule china_panel:
    message:
        "Assembling the Chinese province-year panel from {params.n_datasets} NBS and PKU files"
    input:
        raw=expand("data/raw/{dataset}", dataset=CHINA_DATASETS),
    output:
        panel="data/processed/china_panel.parquet",
        provenance=report(
            "results/tables/china_provenance.csv",
            caption="../report/china_provenance.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        coverage=report(
            "results/tables/china_coverage.csv",
            caption="../report/china_coverage_table.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        footnotes=report(
            "results/tables/china_footnotes.csv",
            caption="../report/china_footnotes.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
    params:
        code=CODE,
        datasets=CHINA_DATASETS,
        n_datasets=len(CHINA_DATASETS),
        china={"series": CHINA["series"], "years": CHINA["years"]},
    log:
        "logs/regions/china_panel.log",
    benchmark:
        "benchmarks/regions/china_panel.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/china_panel.py"


rule china_measures:
    message:
        "Real GDP growth, 2020 Martin indices and pre-shock exposures of the provinces"
    input:
        panel="data/processed/china_panel.parquet",
    output:
        growth="data/processed/china_growth.parquet",
        martin=report(
            "results/tables/china_martin.csv",
            caption="../report/china_martin.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        exposures=report(
            "results/tables/china_exposures.csv",
            caption="../report/china_exposures.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        alignment=report(
            "results/tables/china_index_alignment.csv",
            caption="../report/china_index_alignment.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        composite="data/processed/china_composite.parquet",
        weights=report(
            "results/tables/china_composite_weights.csv",
            caption="../report/china_composite_weights.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
    params:
        code=CODE,
        china={k: CHINA[k] for k in ("index_lagged_rows", "price_base_year", "episode", "composite")},
    log:
        "logs/regions/china_measures.log",
    benchmark:
        "benchmarks/regions/china_measures.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/china_measures.py"


rule china_models:
    message:
        "Province panel models with the wild cluster bootstrap ({params.reps} draws)"
    input:
        growth="data/processed/china_growth.parquet",
        exposures="results/tables/china_exposures.csv",
        composite="data/processed/china_composite.parquet",
    output:
        coefs=report(
            "results/tables/china_models.csv",
            caption="../report/china_models.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        md="results/tables/china_models.md",
        bootstrap=report(
            "results/tables/china_wild_bootstrap.csv",
            caption="../report/china_wild_bootstrap.rst",
            category="Tables",
            subcategory="Chinese provinces",
        ),
        notes="results/models/china_models.json",
    params:
        code=CODE,
        reps=CHINA["bootstrap"]["reps"],
        china={k: CHINA[k] for k in ("episode", "models", "composite", "bootstrap")},
    log:
        "logs/regions/china_models.log",
    benchmark:
        "benchmarks/regions/china_models.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/china_models.py"


rule china_figures:
    message:
        "Figures of the province panel: resistance by tercile, coverage"
    input:
        panel="data/processed/china_panel.parquet",
        growth="data/processed/china_growth.parquet",
        provenance="results/tables/china_provenance.csv",
        martin="results/tables/china_martin.csv",
        exposures="results/tables/china_exposures.csv",
    output:
        terciles_png=report(
            "results/figures/china_resistance_terciles.png",
            caption="../report/china_resistance_terciles.rst",
            category="Figures",
            subcategory="Chinese provinces",
        ),
        terciles_pdf="results/figures/china_resistance_terciles.pdf",
        coverage_png=report(
            "results/figures/china_coverage.png",
            caption="../report/china_coverage.rst",
            category="Figures",
            subcategory="Chinese provinces",
        ),
        coverage_pdf="results/figures/china_coverage.pdf",
    params:
        code=CODE,
        years=CHINA["years"],
    log:
        "logs/regions/china_figures.log",
    benchmark:
        "benchmarks/regions/china_figures.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/china_figures.py"


rule china_section:
    message:
        "Writing the report section on the Chinese provinces"
    input:
        provenance="results/tables/china_provenance.csv",
        coverage="results/tables/china_coverage.csv",
        footnotes="results/tables/china_footnotes.csv",
        martin="results/tables/china_martin.csv",
        alignment="results/tables/china_index_alignment.csv",
        weights="results/tables/china_composite_weights.csv",
        models="results/tables/china_models.csv",
        notes="results/models/china_models.json",
        figures=["results/figures/china_resistance_terciles.png", "results/figures/china_coverage.png"],
    output:
        "results/sections/china_provinces.md",
    params:
        code=CODE,
        china=CHINA,
    log:
        "logs/regions/china_section.log",
    benchmark:
        "benchmarks/regions/china_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/china_section.py"
