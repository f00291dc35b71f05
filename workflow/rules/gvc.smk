# Value-chain position: forward and backward GVC participation of the configured
# economies from OECD TiVA (total and by manufacturing group), its figure, then its report section.
# Without the OECD source (the offline mirror lacks it) the tables come out empty with the right
# columns, the figure and the section say that the analysis needs the live OECD source.

GVC = config["gvc"]


rule gvc_participation:
    message:
        "Computing forward and backward GVC participation from OECD TiVA"
    input:
        shares=f"data/raw/{GVC['datasets']['shares']}",
        exports=f"data/raw/{GVC['datasets']['exports']}",
    output:
        table=report(
            "results/tables/gvc_participation.csv",
            caption="../report/gvc_participation_table.rst",
            category="Tables",
            subcategory="Context analyses: value-chain position",
        ),
        status=report(
            "results/tables/gvc_status.csv",
            caption="../report/gvc_status.rst",
            category="Tables",
            subcategory="Context analyses: value-chain position",
        ),
        png=report(
            "results/figures/gvc_participation.png",
            caption="../report/gvc_participation.rst",
            category="Figures",
            subcategory="Context analyses: value-chain position",
        ),
        pdf="results/figures/gvc_participation.pdf",
    params:
        code=script_code("gvc_participation.py"),
        gvc=GVC,
    log:
        "logs/context/gvc_participation.log",
    benchmark:
        "benchmarks/context/gvc_participation.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/gvc_participation.py"


rule gvc_section:
    message:
        "Writing the report section on value-chain position"
    input:
        table=rules.gvc_participation.output.table,
        status=rules.gvc_participation.output.status,
        figure=rules.gvc_participation.output.png,
    output:
        section="results/sections/gvc.md",
    params:
        code=script_code("gvc_section.py"),
        gvc=GVC,
    log:
        "logs/context/gvc_section.log",
    benchmark:
        "benchmarks/context/gvc_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/gvc_section.py"
