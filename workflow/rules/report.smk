# Report layer: Markdown and HTML assembled only from results files.
from resilience.provenance.rulegraph import stage_graph, workflow_rules


rule report:
    message:
        "Writing the report from the results files"
    input:
        provenance=rules.country_panel.output.provenance,
        coverage=rules.country_panel.output.coverage,
        unmatched=rules.country_panel.output.unmatched,
        martin="results/tables/countries_martin.csv",
        loss="results/tables/output_loss.csv",
        exposures="results/tables/countries_exposures.csv",
        composite="results/tables/countries_digital_composite.csv",
        weights=rules.composite_panel.output.weights,
        breaks="results/tables/series_breaks.csv",
        models=expand("results/tables/model_{model}.csv", model=sorted(MODELS)),
        model_md=expand("results/tables/model_{model}.md", model=sorted(MODELS)),
        notes=expand("results/models/{model}.json", model=sorted(MODELS)),
        panel_models="results/tables/countries_models.csv",
        panel_notes="results/models/countries_models.json",
        figures=expand("results/figures/{figure}.png", figure=FIGURES)
        + expand("results/figures/countries_{name}.png", name=panel_registry.get("countries").figures),
        game_regions=rules.backup_game.output.regions,
        game_equilibria=rules.backup_game.output.equilibria,
        game_figures=[rules.backup_game.output.regions_png, rules.backup_game.output.trees_png],
        sections=expand("results/sections/{section}.md", section=REPORT_SECTIONS),
        # the figures the sections show, embedded in the HTML
        section_figures=report_figure_files(),
        # the opening section, before everything else (rule findings_section below)
        findings="results/sections/findings.md",
        # the Romano-Wolf p-values shown as a row of the regression table
        adjusted_p="results/tables/countries_adjusted_p.csv",
        # every raw dataset a results file rests on, for the references
        lineage=rules.lineage.output.table,
    output:
        md=report(
            "results/report.md",
            caption="../report/report_md.rst",
            category="Report",
        ),
        html="results/report.html",
        # the numbered figures and tables in report order (REPLICATION.md maps them to rules)
        exhibits=report(
            "results/tables/report_exhibits.csv",
            caption="../report/report_exhibits.rst",
            category="Tables",
            subcategory="Report",
        ),
    params:
        code=script_code("report.py"),
        # publishers and titles of the datasets, for the references
        catalog=CATALOG[["publisher", "title"]].to_dict("index"),
        config_slice={
            "episodes": config["episodes"],
            "measures": config["measures"],
            "models": config["models"],
            "years": config["years"],
            "figures": config["figures"],
            "backup_game": config["backup_game"],
            "labels": config["labels"],
        },
    log:
        "logs/report/report.log",
    benchmark:
        "benchmarks/report/report.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/report.py"


# The report as a PDF (Typst, from the same Markdown), its figures embedded and Chinese set in the CJK font.
rule report_pdf:
    message:
        "Typesetting the report as a PDF (results/report.pdf)"
    input:
        md=rules.report.output.md,
        figures=rules.report.input.figures,
        game_figures=rules.report.input.game_figures,
        section_figures=rules.report.input.section_figures,
    output:
        typ="results/report.typ",
        pdf=report(
            "results/report.pdf",
            caption="../report/report_pdf.rst",
            category="Report",
        ),
    params:
        code=script_code("report_pdf.py"),
    log:
        "logs/report/report_pdf.log",
    benchmark:
        "benchmarks/report/report_pdf.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/report_pdf.py"


# The rule graph grouped by stage, for the Snakemake report (its own rule graph of every rule is unreadable).
rule workflow_stages:
    message:
        "Figure: the rule graph grouped by stage"
    output:
        png=report(
            "results/figures/workflow_stages.png",
            caption="../report/workflow_stages.rst",
            # not a category of its own: "Workflow" is the name of the Snakemake report's own rule graph page
            category="Figures",
            subcategory="Workflow",
        ),
        pdf="results/figures/workflow_stages.pdf",
    params:
        code=script_code("workflow_stages.py"),
        graph=lambda wildcards: stage_graph(workflow_rules(workflow.rules, REPO)),
    log:
        "logs/report/workflow_stages.log",
    benchmark:
        "benchmarks/report/workflow_stages.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/workflow_stages.py"


# Findings, the report's opening section, and its short version for the README: a verdict per hypothesis x
# panel x episode chosen by a rule (resilience.report.findings) from each panel's headline-model table, its
# robustness, adaptation and timing tables and, when the workflow makes them, the specification curve's
# summaries.
FINDINGS_TABLES = ["models", "pretrends", "placebo_summary", "size_weighted", "adjusted_p", "adaptation_models",
                   "exposures", "exposure_timing"]


rule findings_section:
    message:
        "Report section: findings (a verdict per hypothesis, panel and episode) and their short version"
    input:
        tables=[f"results/tables/{p}_{t}.csv" for p in PANELS for t in FINDINGS_TABLES],
        spec_curve=lambda wildcards: spec_curve_summaries(),
    output:
        section="results/sections/findings.md",
        summary=report(
            "results/findings_summary.md",
            caption="../report/findings_summary.rst",
            category="Report",
        ),
    params:
        code=script_code("findings_section.py"),
        panels=findings_panels(),
        tables=FINDINGS_TABLES,
    log:
        "logs/report/findings_section.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/findings_section.py"
