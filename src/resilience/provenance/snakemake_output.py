"""Reading Snakemake's own console output (used by the benchmark and the profile tests)."""

from __future__ import annotations


def job_stats(output: str) -> dict[str, int]:
    """Snakemake's 'Job stats' table of a run or dry run: {rule: jobs}, without the total ({} when none)."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "Job stats:"), None)
    stats = {}
    if start is not None:
        for line in lines[start + 3:]:
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                break
            if parts[0] != "total":
                stats[parts[0]] = int(parts[1])
    return stats
