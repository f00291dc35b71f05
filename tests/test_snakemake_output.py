"""job_stats: the 'Job stats' table of Snakemake's console output."""

from resilience.provenance.snakemake_output import job_stats

OUTPUT = """Building DAG of jobs...
Job stats:
job          count
---------  -------
all              1
download        23
total           24

Select jobs to execute...
"""


def test_job_stats_reads_the_table_without_the_total():
    assert job_stats(OUTPUT) == {"all": 1, "download": 23}


def test_job_stats_of_a_noop_run_is_empty():
    assert job_stats("Nothing to be done (all requested files are present and up to date).") == {}
