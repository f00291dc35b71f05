# The claims ledger: the motivating papers' claims (config/claims.yaml) beside their regeneration from
# the results tables its selectors name; the verdict table and the report section. The ledger is
# checked when the workflow is parsed (resilience.config), so a ledger mistake fails before any job.


rule claims_ledger:
    message:
        "The papers' numbers, regenerated: {params.n_claims} claims of the ledger"
    input:
        ledger=repo_file(config["claims"]["ledger"]),
        schema=repo_file(config["claims"]["schema"]),
        tables=claims_tables(),
    output:
        table=report(
            "results/tables/claims_ledger.csv",
            caption="../report/claims_ledger.rst",
            category="Tables",
            subcategory="Claims ledger",
        ),
        section="results/sections/claims.md",
    params:
        code=script_code("claims_ledger.py"),
        # the ledger as the section names it: the configured path, not where this run reads it from
        ledger_path=lambda wildcards: config["claims"]["ledger"],
        n_claims=len(CLAIMS_LEDGER["claims"]),
        missing_cells=config["claims"]["missing_cells"],
    log:
        "logs/report/claims_ledger.log",
    benchmark:
        "benchmarks/report/claims_ledger.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/claims_ledger.py"
