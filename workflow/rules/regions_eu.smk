# EU NUTS-2 regions (issue 5): Eurostat tables (both TSV layouts, SDMX-CSV) -> tidy tables -> one
# region-year panel harmonised to one NUTS version -> Martin indices against the own country,
# pre-shock clusters and digitalization -> models with region and country x year effects (wild
# bootstrap by country) -> figures -> report section. Configuration: `eu_regions` in config.yaml.

EU = config["eu_regions"]
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
        code=CODE,
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
        code=CODE,
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
        panel="data/processed/eu_regions_panel.parquet",
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
        code=CODE,
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


rule eu_measures:
    message:
        "EU regions: Martin indices against the own country and pre-shock exposures"
    input:
        panel="data/processed/eu_regions_panel.parquet",
    output:
        martin=report(
            "results/tables/eu_martin.csv",
            caption="../report/eu_martin.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        martin_summary=report(
            "results/tables/eu_martin_summary.csv",
            caption="../report/eu_martin_summary.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        exposures=report(
            "results/tables/eu_exposures.csv",
            caption="../report/eu_exposures.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        exposure_summary=report(
            "results/tables/eu_exposure_summary.csv",
            caption="../report/eu_exposure_summary.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        digital_notes=report(
            "results/tables/eu_digital_notes.csv",
            caption="../report/eu_digital_notes.rst",
            category="Tables",
            subcategory="EU regions",
        ),
    params:
        code=CODE,
        settings=EU,
        episodes=EU_EPISODES,
    log:
        "logs/regions/eu_measures.log",
    benchmark:
        "benchmarks/regions/eu_measures.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_measures.py"


rule eu_models:
    message:
        "EU regions: growth on shock x exposures (region, country x year effects; wild bootstrap by country)"
    input:
        panel="data/processed/eu_regions_panel.parquet",
        exposures="results/tables/eu_exposures.csv",
        martin="results/tables/eu_martin.csv",
    output:
        models=report(
            "results/tables/eu_models.csv",
            caption="../report/eu_models.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        cross_section=report(
            "results/tables/eu_cross_section.csv",
            caption="../report/eu_cross_section.rst",
            category="Tables",
            subcategory="EU regions",
        ),
        notes="results/models/eu_models.json",
    params:
        code=CODE,
        settings=EU,
        episodes=EU_EPISODES,
    log:
        "logs/regions/eu_models.log",
    benchmark:
        "benchmarks/regions/eu_models.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_models.py"


rule eu_figures:
    message:
        "EU regions: resistance by cluster strength and digitalization, coverage"
    input:
        martin="results/tables/eu_martin.csv",
        exposures="results/tables/eu_exposures.csv",
        coverage="results/tables/eu_coverage.csv",
    output:
        cluster_png=report(
            "results/figures/eu_resistance_by_cluster.png",
            caption="../report/eu_resistance_by_cluster.rst",
            category="Figures",
            subcategory="EU regions",
        ),
        cluster_pdf="results/figures/eu_resistance_by_cluster.pdf",
        digital_png=report(
            "results/figures/eu_resistance_by_digital.png",
            caption="../report/eu_resistance_by_digital.rst",
            category="Figures",
            subcategory="EU regions",
        ),
        digital_pdf="results/figures/eu_resistance_by_digital.pdf",
        coverage_png=report(
            "results/figures/eu_coverage.png",
            caption="../report/eu_coverage.rst",
            category="Figures",
            subcategory="EU regions",
        ),
        coverage_pdf="results/figures/eu_coverage.pdf",
    params:
        code=CODE,
        figures=EU["figures"],
        episode=EU_FIGURE_EPISODE,
    log:
        "logs/regions/eu_figures.log",
    benchmark:
        "benchmarks/regions/eu_figures.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_figures.py"


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
        code=CODE,
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


rule eu_section:
    message:
        "EU regions: report section"
    input:
        provenance="results/tables/eu_provenance.csv",
        nuts_summary="results/tables/eu_nuts_summary.csv",
        coverage="results/tables/eu_coverage.csv",
        martin_summary="results/tables/eu_martin_summary.csv",
        exposure_summary="results/tables/eu_exposure_summary.csv",
        digital_notes="results/tables/eu_digital_notes.csv",
        models="results/tables/eu_models.csv",
        cross_section="results/tables/eu_cross_section.csv",
        notes="results/models/eu_models.json",
        map_status="results/tables/eu_map_status.csv",
        figures=expand("results/figures/{name}.png", name=["eu_resistance_by_cluster", "eu_resistance_by_digital", "eu_coverage", "eu_resistance_map"]),
    output:
        "results/sections/eu_regions.md",
    params:
        code=CODE,
        settings=EU,
    log:
        "logs/regions/eu_section.log",
    benchmark:
        "benchmarks/regions/eu_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/eu_section.py"
