# Manifest layer: sha256 of every results file in `sha256sum` format, so that `sha256sum -c
# results/MANIFEST.sha256` checks a run and `make verify` compares a rerun from scratch with it.
# The files: the report rule's inputs and outputs (model and figure wildcards expanded), every
# wildcard-free output under results/ of the rules included before this file (context analyses,
# regional panels, lineage, REPLICATION.md), the outputs of the shared stage rules for each panel
# (stages.smk) and of the robustness rules (robustness.smk), and the sibling outputs of wildcard jobs
# (the PDF of each figure, the LaTeX of each model table).
RESULTS_FILES = sorted(
    set(map(str, rules.report.input))
    | set(map(str, rules.report.output))
    | {
        str(path)
        for included in workflow.rules
        for path in included.output
        if str(path).startswith("results/") and "{" not in str(path)
    }
    | set(panel_results())
    | set(robustness_results())
    | set(expand("results/figures/{figure}.pdf", figure=FIGURES))
    | set(expand("results/tables/model_{model}.tex", model=sorted(MODELS)))
)


rule results_manifest:
    message:
        "Writing results/MANIFEST.sha256 ({params.n_files} results files)"
    input:
        RESULTS_FILES,
    output:
        "results/MANIFEST.sha256",
    params:
        code=script_code("results_manifest.py"),
        n_files=len(RESULTS_FILES),
    log:
        "logs/manifest/results_manifest.log",
    benchmark:
        "benchmarks/manifest/results_manifest.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/results_manifest.py"
