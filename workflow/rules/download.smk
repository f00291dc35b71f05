# Raw layer: one job per catalog row. Takes the published file from the mirror (sha256 checked
# against its SOURCES.csv) or downloads it live, and writes manifest.json beside it.
# Downloads go before every other job (priority): a missing or corrupt raw file stops the run before
# the work that needs it. On one core nothing else has started by then; on n cores at most n - 1 jobs
# may start beside the last downloads.


rule download:
    message:
        "Obtaining raw dataset {wildcards.dataset}"
    output:
        directory("data/raw/{dataset}"),
    params:
        row=catalog_row,
        optional=is_optional,
        mirror=raw_mirror(),
        # A new vintage or hash in SOURCES.csv reruns this download and everything after it.
        listed=mirror_listing,
        download=config["download"],
    log:
        "logs/download/{dataset}.log",
    benchmark:
        "benchmarks/download/{dataset}.tsv"
    priority: 100
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    retries: 0
    conda:
        "../envs/resilience.yaml"
    script:
        "../scripts/download.py"
