# Countries, EU regions and Chinese provinces on one specification: the shared shock x
# exposure terms of each panel's model, side by side (table, dot-and-whisker figure, report
# section). Configuration: `panel_comparison` in config.yaml; logic in resilience.panel_comparison.
from resilience.panel_comparison import bootstrap_path, exposure_roles, panel_paths, resolve_panels

COMPARISON = config["panel_comparison"]
COMPARISON_PANELS = resolve_panels(config)


# Per panel: its coefficient table, model notes and, where the source runs one, its wild-bootstrap
# table (the source's rule writes them).
COMPARISON_INPUTS = {
    f"{panel['name']}_{kind}": path
    for panel in COMPARISON_PANELS
    for kind, path in zip(("coefs", "notes", "bootstrap"), (*panel_paths(panel), bootstrap_path(panel)))
    if path
}
# The bootstrap settings of the sources compared (their alpha gives the bootstrap intervals' level).
COMPARISON_BOOTSTRAP = {
    panel["source"]: config["panels"][panel["source"]]["bootstrap"]
    for panel in COMPARISON_PANELS
    if bootstrap_path(panel)
}


rule panel_comparison:
    message:
        "Comparing {params.n_panels} panels on one specification (shock x digitalization, x cluster)"
    input:
        unpack(lambda wildcards: COMPARISON_INPUTS),
    output:
        table=report(
            "results/tables/panel_comparison.csv",
            caption="../report/panel_comparison_table.rst",
            category="Tables",
            subcategory="Panel comparison",
        ),
        png=report(
            "results/figures/panel_comparison.png",
            caption="../report/panel_comparison.rst",
            category="Figures",
            subcategory="Panel comparison",
        ),
        pdf="results/figures/panel_comparison.pdf",
    params:
        code=script_code("panel_comparison.py"),
        comparison=COMPARISON,
        panels=COMPARISON_PANELS,
        bootstrap=COMPARISON_BOOTSTRAP,
        n_panels=len(COMPARISON_PANELS),
    log:
        "logs/report/panel_comparison.log",
    benchmark:
        "benchmarks/report/panel_comparison.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_comparison.py"


rule panel_comparison_section:
    message:
        "Writing the report section comparing the panels"
    input:
        table=rules.panel_comparison.output.table,
        figure=rules.panel_comparison.output.png,
    output:
        "results/sections/panel_comparison.md",
    params:
        code=script_code("panel_comparison_section.py"),
    log:
        "logs/report/panel_comparison_section.log",
    benchmark:
        "benchmarks/report/panel_comparison_section.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/panel_comparison_section.py"
