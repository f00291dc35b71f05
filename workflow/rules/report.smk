# Report layer: Markdown and HTML assembled only from results files.


rule report:
    message:
        "Writing the report from the results files"
    input:
        provenance="results/tables/provenance.csv",
        coverage="results/tables/coverage.csv",
        unmatched="results/tables/unmatched_countries.csv",
        martin="results/tables/countries_martin.csv",
        loss="results/tables/output_loss.csv",
        exposures="results/tables/countries_exposures.csv",
        composite="results/tables/countries_digital_composite.csv",
        weights="results/tables/composite_weights.csv",
        breaks="results/tables/series_breaks.csv",
        models=expand("results/tables/model_{model}.csv", model=sorted(MODELS)),
        model_md=expand("results/tables/model_{model}.md", model=sorted(MODELS)),
        notes=expand("results/models/{model}.json", model=sorted(MODELS)),
        panel_models="results/tables/countries_models.csv",
        panel_notes="results/models/countries_models.json",
        figures=expand("results/figures/{figure}.png", figure=FIGURES)
        + expand("results/figures/countries_{name}.png", name=panel_registry.get("countries").figures),
        game_regions="results/tables/backup_game_regions.csv",
        game_equilibria="results/tables/backup_game_equilibria.csv",
        game_figures=["results/figures/backup_game_regions.png", "results/figures/backup_game_trees.png"],
        sections=expand("results/sections/{section}.md", section=REPORT_SECTIONS),
    output:
        md=report(
            "results/report.md",
            caption="../report/report_md.rst",
            category="Report",
        ),
        html="results/report.html",
    params:
        code=script_code("report.py"),
        config_slice={
            "episodes": config["episodes"],
            "measures": config["measures"],
            "models": config["models"],
            "years": config["years"],
            "figures": config["figures"],
            "backup_game": config["backup_game"],
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
