# The country panel's own model exercises (kinds cross_section and panel_plain): every model is a named
# config entry; one job per model writes a tidy coefficient table (CSV), its Markdown and LaTeX
# renderings, and the sample notes. Models of kind panel run in rule panel_models (stages.smk).


rule model:
    message:
        "Estimating model {wildcards.model}"
    input:
        unpack(model_inputs),
    output:
        csv=report(
            "results/tables/model_{model}.csv",
            caption="../report/model.rst",
            category="Tables",
            subcategory="Models",
        ),
        md="results/tables/model_{model}.md",
        tex="results/tables/model_{model}.tex",
        notes="results/models/{model}.json",
    params:
        code=script_code("model.py"),
        spec=lambda wildcards: MODELS[wildcards.model],
        episodes=config["episodes"],
        years=config["years"],
    log:
        "logs/models/{model}.log",
    benchmark:
        "benchmarks/models/{model}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/model.py"
