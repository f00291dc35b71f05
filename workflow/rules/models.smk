# Models layer: every model is a named config entry; one job per model writes a tidy coefficient
# table (CSV), its Markdown and LaTeX renderings, and the sample notes.


def model_inputs(wildcards):
    kind = MODELS[wildcards.model]["kind"]
    if kind == "panel":
        return {"growth": "data/processed/growth.parquet", "exposures": "results/tables/exposures.csv"}
    if kind == "cross_section":
        return {"martin": "results/tables/martin_indices.csv", "loss": "results/tables/output_loss.csv",
                "exposures": "results/tables/exposures.csv"}
    return {"composite": "data/processed/composite_panel.parquet"}


rule model:
    message:
        "Estimating model {wildcards.model}"
    input:
        unpack(model_inputs),
    output:
        csv="results/tables/model_{model}.csv",
        md="results/tables/model_{model}.md",
        tex="results/tables/model_{model}.tex",
        notes="results/models/{model}.json",
    params:
        spec=lambda wildcards: MODELS[wildcards.model],
        episodes=config["episodes"],
        years=config["years"],
    log:
        "logs/models/{model}.log",
    benchmark:
        "benchmarks/models/{model}.tsv"
    resources:
        mem_mb=2000,
    script:
        "../scripts/model.py"
