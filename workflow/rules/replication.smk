# Replication-package README (results/REPLICATION.md), generated from the workflow itself: the data
# statements from the catalog, this run's raw manifests and the mirror's SOURCES.csv; the
# requirements from requirements.lock, pyproject.toml and the committed benchmark; the list of
# exhibits from every rule's outputs under results/tables and results/figures (a param, so a new or
# changed rule rewrites the list).
from resilience.provenance.replication import config_seeds, exhibit_outputs, mirror_folder_files

COMMITTED_BENCHMARK = "results/benchmark/benchmark.json"


rule replication_readme:
    message:
        "Writing results/REPLICATION.md (data statements, requirements, exhibits) from the workflow"
    input:
        catalog=repo_file(config["sources"]["catalog"]),
        raw=expand("data/raw/{dataset}", dataset=sorted(CATALOG.index)),
        listings=lambda wildcards: mirror_folder_files(raw_mirror(), CATALOG["mirror_path"], "SOURCES.csv"),
        provenance=lambda wildcards: mirror_folder_files(raw_mirror(), CATALOG["mirror_path"], "PROVENANCE.md"),
        lock=repo_file("requirements.lock"),
        pyproject=repo_file("pyproject.toml"),
        licence=repo_file("LICENSE"),
        # results file -> raw datasets (which exhibits need a source this run lacked) and the report's
        # numbered exhibits (the manuscript order)
        lineage="results/tables/lineage.csv",
        report_exhibits=rules.report.output.exhibits,
        benchmark=lambda wildcards: [repo_file(COMMITTED_BENCHMARK)] if (REPO / COMMITTED_BENCHMARK).is_file() else [],
        # Every results file it lists: written only once they all are, so after a failed job it keeps
        # describing the previous complete run (the raw files its tables were computed from).
        described=lambda wildcards: [f for f in RESULTS_FILES if f not in set(map(str, rules.replication_readme.output))],
    output:
        md=report(
            "results/REPLICATION.md",
            caption="../report/replication.rst",
            category="Report",
        ),
        pdf="results/REPLICATION.pdf",
    params:
        code=script_code("replication_readme.py"),
        outputs=lambda wildcards: exhibit_outputs(workflow.rules, REPO),
        # every results file a job makes (manifest.smk): a wildcard pattern lists only these
        made=lambda wildcards: RESULTS_FILES,
        optional=config["sources"]["optional"],
        has_mirror=bool(raw_mirror()),
        seeds=config_seeds(config),
    log:
        "logs/report/replication_readme.log",
    benchmark:
        "benchmarks/report/replication_readme.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/replication_readme.py"
