# Lineage layer: every results file -> the rule that writes it -> the raw datasets (by sha256) it
# rests on, traced through the workflow's declared inputs (resilience.provenance.lineage); the report cites
# the table in its last section. The targets: what the manifest lists (manifest.smk), but the
# report and this rule's own outputs. The graph is traced once per invocation (cached).
import functools

from resilience.provenance.lineage import raw_inputs, results_lineage, rule_producer, trace

LINEAGE_OUTPUTS = ["results/tables/lineage.csv", "results/sections/lineage.md"]


lineage_graph = functools.cache(
    lambda: results_lineage(trace(lineage_targets(), data_producer()), exclude=LINEAGE_OUTPUTS)
)


rule lineage:
    message:
        "Tracing every results file back to its raw files (results/tables/lineage.csv)"
    input:
        unpack(lambda wildcards: raw_inputs(lineage_graph())),
        described=lambda wildcards: lineage_waits_for(),
    output:
        table=report(
            LINEAGE_OUTPUTS[0],
            caption="../report/lineage.rst",
            category="Tables",
            subcategory="Data and provenance",
        ),
        section=LINEAGE_OUTPUTS[1],
    params:
        code=script_code("lineage.py"),
        graph=lambda wildcards: lineage_graph(),
    log:
        "logs/report/lineage.log",
    benchmark:
        "benchmarks/report/lineage.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/lineage.py"
