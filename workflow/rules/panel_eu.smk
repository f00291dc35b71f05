# EU NUTS-2 regions, the source-specific rules: Eurostat tables (both TSV layouts, SDMX-CSV)
# -> tidy tables -> one region-year panel harmonised to one NUTS version; the map and the
# cross-sections. Measures, models, figures and the section are the shared rules of stages.smk
# (panel=eu). Configuration: `panels.eu` in config.yaml.

EU = config["panels"]["eu"]
EU_DATASETS = sorted(
    {s["dataset"] for spec in [*EU["series"].values(), *EU["sectors"].values()] for s in spec["sources"]}
)
EU_EPISODES = [e for e in config["episodes"] if e["name"] in EU["episodes"]]
EU_FIGURE_EPISODE = EU["episodes"][0]
EU_MAP = EU["map"]


rule eurostat_tidy:
    message:
        "Parsing the Eurostat table {wildcards.dataset} (cells with their flags)"
    input:
        raw="data/raw/{dataset}",
    output:
        "data/interim/eurostat/{dataset}.parquet",
    params:
        code=script_code("eu_tidy.py"),
    log:
        "logs/regions/eurostat_tidy_{dataset}.log",
    benchmark:
        "benchmarks/regions/eurostat_tidy_{dataset}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_tidy.py"


rule nuts_correspondence:
    message:
        "Reading the NUTS correspondence workbooks"
    input:
        workbooks=expand("data/raw/{dataset}", dataset=EU["nuts"]["workbooks"]),
    output:
        "data/interim/eurostat/nuts_correspondence.parquet",
    params:
        code=script_code("eu_nuts.py"),
    log:
        "logs/regions/nuts_correspondence.log",
    benchmark:
        "benchmarks/regions/nuts_correspondence.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_nuts.py"


rule eu_panel:
    message:
        "Assembling the EU NUTS-2 panel in NUTS {params.target}"
    input:
        tidy=expand("data/interim/eurostat/{dataset}.parquet", dataset=EU_DATASETS),
        raw=expand("data/raw/{dataset}", dataset=EU_DATASETS),
        nuts="data/interim/eurostat/nuts_correspondence.parquet",
    output:
        panel="data/processed/eu_panel.parquet",
        provenance=report(
            "results/tables/eu_provenance.csv",
            caption="../report/eu_provenance.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        harmonization=report(
            "results/tables/eu_nuts_harmonization.csv",
            caption="../report/eu_nuts_harmonization.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        nuts_summary=report(
            "results/tables/eu_nuts_summary.csv",
            caption="../report/eu_nuts_summary.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        coverage=report(
            "results/tables/eu_coverage.csv",
            caption="../report/eu_coverage_table.rst",
            category="Tables",
            subcategory="EU regions",
        ),
    params:
        code=script_code("eu_panel.py"),
        settings=EU,
        target=EU["nuts"]["target_version"],
    log:
        "logs/regions/eu_panel.log",
    benchmark:
        "benchmarks/regions/eu_panel.tsv"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=20,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_panel.py"


# The cross-sections of the Martin indices with country effects (an EU extra: the regional models
# of stages.smk are the shared ones).
rule eu_cross_section:
    message:
        "EU regions: cross-sections of the Martin indices on pre-shock exposures, country effects (HC1)"
    input:
        exposures="results/tables/eu_exposures.csv",
        martin="results/tables/eu_martin.csv",
    output:
        cross_section=report(
            "results/tables/eu_cross_section.csv",
            caption="../report/eu_cross_section.rst",
            category="Tables",
            subcategory="EU regions",
        ),
    params:
        code=script_code("eu_cross_section.py"),
        cross_section=EU["cross_section"],
    log:
        "logs/regions/eu_cross_section.log",
    benchmark:
        "benchmarks/regions/eu_cross_section.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_cross_section.py"


# The map of resistance per region needs GISCO's NUTS polygons, an optional source the offline mirror
# lacks: like gvc.smk, the rule still runs, the status table records the source as unavailable, the
# figure says the map needs the live GISCO file and draws nothing in its place.
rule eu_map:
    message:
        "EU regions: map of resistance by NUTS-2 region (GISCO polygons, {params.map[dataset]})"
    input:
        martin="results/tables/eu_martin.csv",
        geometry=f"data/raw/{EU_MAP['dataset']}",
    output:
        png=report(
            "results/figures/eu_resistance_map.png",
            caption="../report/eu_resistance_map.rst",
            category="Figures",
            subcategory="EU regions",
        ),
        pdf="results/figures/eu_resistance_map.pdf",
        status=report(
            "results/tables/eu_map_status.csv",
            caption="../report/eu_map_status.rst",
            category="Tables",
            subcategory="EU regions",
        ),
    params:
        code=script_code("eu_map.py"),
        map=EU_MAP,
        outcome=EU["figures"]["outcome"],
        episodes=EU_EPISODES,
    log:
        "logs/regions/eu_map.log",
    benchmark:
        "benchmarks/regions/eu_map.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_map.py"
