# Chinese provinces, the source-specific rules: NBS 分省年度数据 exports, the PKU digital
# finance index and compiled panels -> one province-year panel; the GDP index check and the entropy
# composites. Growth, Martin indices, exposures, models, figures and the section are the shared rules
# of stages.smk (panel=china). Configuration: `panels.china` in config.yaml.

from resilience.catalog import parse_options

CHINA = config["panels"]["china"]
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
        code=script_code("china_panel.py"),
        datasets=CHINA_DATASETS,
        n_datasets=len(CHINA_DATASETS),
        # index_lagged_rows re-dates the compiled index rows while the GDP index is spliced; the
        # catalog's parse_options name the indicator of the GDP index file, which does not.
        china={"series": CHINA["series"], "years": CHINA["years"], "index_lagged_rows": CHINA["index_lagged_rows"],
               "parse_options": {d: parse_options(CATALOG.loc[d].to_dict()) for d in CHINA_DATASETS}},
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


# The index dating check and the entropy-weight composites of the Chinese literature (a China extra:
# measures, models, figures and the section are the shared rules of stages.smk, panel=china).
rule china_composite:
    message:
        "Chinese provinces: GDP index dating check and entropy-weight composite indices"
    input:
        panel=rules.china_panel.output.panel,
        growth="data/processed/china_growth.parquet",
    output:
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
        code=script_code("china_composite.py"),
        china={k: CHINA[k] for k in ("index_lagged_rows", "composite")},
    log:
        "logs/regions/china_composite.log",
    benchmark:
        "benchmarks/regions/china_composite.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/china_composite.py"
