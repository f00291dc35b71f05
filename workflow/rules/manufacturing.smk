# World manufacturing: one economy's share of world manufacturing value added (UN AMA, current US$, from
# the countries panel), its rank and the first year of its current lead.


rule manufacturing_world_share:
    message:
        "Share of world manufacturing value added of {params.share[economy]} and its lead"
    input:
        panel=rules.country_panel.output.panel,
    output:
        share=report(
            "results/tables/manufacturing_world_share.csv",
            caption="../report/manufacturing_world_share.rst",
            category="Tables",
            subcategory="Context analyses: world manufacturing",
        ),
    params:
        code=script_code("manufacturing_world_share.py"),
        share=config["claims"]["manufacturing_share"],
    log:
        "logs/context/manufacturing_world_share.log",
    benchmark:
        "benchmarks/context/manufacturing_world_share.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/manufacturing_world_share.py"
