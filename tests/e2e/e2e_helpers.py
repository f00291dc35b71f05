"""Shared helpers of the end-to-end tests: write a test config, run Snakemake in isolation, and
compare output trees.

The workflow is run as a subprocess (``python -m snakemake -s <repo>/Snakefile --directory <work>
--configfile <cfg> --replace-workflow-config``), so the repository's own data/, results/ and logs/
are never touched and the test exercises the real configuration (only ``raw_mirror`` differs).
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
import signal
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SNAKEFILE = REPO / "Snakefile"
REAL_MIRROR = REPO.parent / "shared" / "raw-snapshots"
# Per Snakemake invocation: a safety net against a hung run, not a speed check (the benchmark times
# the pipeline); a shared 2-core machine under load takes several times a quiet run.
TIMEOUT_S = 2700
# The output whose write the shared synthetic run pauses in, and is killed in (tests/e2e/conftest.py):
# a panel_measures job, after the panel.
PAUSED = Path("results/tables/countries_martin.csv")
CORES = 2


def load_repo_config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def write_config(path, mirror) -> Path:
    """config/config.yaml with ``raw_mirror`` set to ``mirror`` (absolute) and the claims ledger's
    ``missing_cells`` set to ``report``: the synthetic mirror's years are not the papers' years, so the
    ledger lists those claims as not regenerable rather than stopping the run; and each specification curve
    capped at ``E2E_SPEC_BLOCKS`` blocks per episode. Nothing else changed."""
    config = load_repo_config()
    config["raw_mirror"] = str(Path(mirror).resolve())
    config["claims"]["missing_cells"] = "report"
    for block in config["panels"].values():
        small_specification_curve(block.get("specification_curve"))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


# Specification blocks per episode in the end-to-end runs: the curve's plumbing (grid, rules, tables, figure,
# summaries) runs as configured, on a few blocks instead of hundreds of specifications, whose estimates the
# unit tests check against a second implementation.
E2E_SPEC_BLOCKS = 2


def small_specification_curve(block: dict | None) -> None:
    if not block:
        return
    width = len(block["forks"].get("fixed_effects", [None]))
    block["max_specifications"] = E2E_SPEC_BLOCKS * width
    cross = block.get("cross_section")
    if cross:
        cross["max_specifications"] = E2E_SPEC_BLOCKS * len(cross.get("forks", {}).get("fixed_effects", [None]))


def copy_checkout(target: Path, extra: tuple[str, ...] = ()) -> Path:
    """The workflow's files of this checkout (Snakefile, config, workflow, src and ``extra``) copied to
    ``target``, without caches, outputs or environments."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".snakemake", "results", "data", "logs", ".venv",
                                    ".git", "benchmarks")
    for name in ("Snakefile", "config", "workflow", "src", *extra):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


class Run:
    """The outcome of one Snakemake invocation."""

    def __init__(self, args, workdir, returncode, stdout, stderr, seconds, code_before=""):
        self.args, self.workdir, self.returncode = args, Path(workdir), returncode
        self.stdout, self.stderr, self.seconds = stdout, stderr, seconds
        self.code_before = code_before  # code_fingerprint() when the run started

    @property
    def output(self) -> str:
        return self.stdout + "\n" + self.stderr

    def tail(self, lines: int = 60) -> str:
        out = "\n".join(self.stdout.splitlines()[-lines // 3:])
        err = "\n".join(self.stderr.splitlines()[-lines:])
        return (f"$ {' '.join(map(str, self.args))}\nexit code {self.returncode} after {self.seconds:.0f} s\n"
                f"--- stdout (tail) ---\n{out}\n--- stderr (tail) ---\n{err}")


def run_snakemake(workdir, configfile, *extra, timeout: int = TIMEOUT_S) -> Run:
    """Run the workflow into ``workdir``; never raises for a non-zero exit (the caller asserts)."""
    args = [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "--directory", str(workdir),
            "--configfile", str(configfile), "--replace-workflow-config", "--cores", str(CORES), *extra]
    Path(workdir).mkdir(parents=True, exist_ok=True)
    code_before = code_fingerprint()
    started = time.monotonic()
    # Own session, so on a timeout the whole job tree this test started can be ended by its group id.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=str(workdir))
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            stdout, stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
        run = Run(args, workdir, proc.returncode, stdout or "", stderr or "", time.monotonic() - started)
        pytest.fail(f"Snakemake did not finish within {timeout} s\n{run.tail()}")
    return Run(args, workdir, proc.returncode, stdout, stderr, time.monotonic() - started, code_before)


def start_snakemake(workdir, configfile, *extra, env: dict | None = None) -> subprocess.Popen:
    """Start the workflow into ``workdir`` without waiting (same command as ``run_snakemake``), in its
    own session so that the whole job tree can be signalled by group id (``os.killpg(p.pid, ...)``).
    Output goes to ``workdir``/../<name>.out|.err files (pipes could fill up while nobody reads).
    ``env``: variables added to this run's environment (and its jobs')."""
    args = [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "--directory", str(workdir),
            "--configfile", str(configfile), "--replace-workflow-config", "--cores", str(CORES), *extra]
    Path(workdir).mkdir(parents=True, exist_ok=True)
    stem = Path(workdir).parent / f"{Path(workdir).name}.{time.monotonic_ns()}"
    with open(f"{stem}.out", "w") as out, open(f"{stem}.err", "w") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True, start_new_session=True, cwd=str(workdir),
                                env={**os.environ, **(env or {})})
    proc.log_paths = (Path(f"{stem}.out"), Path(f"{stem}.err"))
    return proc


def finish(proc: subprocess.Popen, timeout: int = TIMEOUT_S, code_before: str = "") -> Run:
    """Wait for a ``start_snakemake`` process (its group is killed on a timeout) and return its Run
    (``code_before``: the code fingerprint taken when it was started)."""
    started = time.monotonic()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    out, err = (path.read_text(encoding="utf-8", errors="replace") for path in proc.log_paths)
    run = Run(proc.args, Path(proc.args[proc.args.index("--directory") + 1]), proc.returncode, out, err,
              time.monotonic() - started, code_before)
    if proc.returncode == -signal.SIGKILL and time.monotonic() - started >= timeout:
        pytest.fail(f"Snakemake did not finish within {timeout} s\n{run.tail()}")
    return run


POLL_S = 0.05


def wait_for(condition, what: str, proc: subprocess.Popen, timeout: float = 600) -> None:
    """Poll ``condition`` until true; fail (killing ``proc``'s group on a timeout) if ``proc`` ends first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before {what}\n{finish(proc).tail()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(POLL_S)


def incomplete_outputs(workdir) -> list[str]:
    """Outputs Snakemake has marked as being written (its markers under .snakemake/incomplete)."""
    folder = Path(workdir) / ".snakemake" / "incomplete"
    if not folder.is_dir():
        return []
    names = []
    for marker in folder.iterdir():
        if marker.is_file() and marker.name != "migration_underway":
            try:
                names.append(base64.urlsafe_b64decode(marker.name).decode())
            except ValueError:
                names.append(marker.name)
    return sorted(names)


def holds_lock(workdir) -> bool:
    locks = Path(workdir) / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir())


def temp_files_of(dest: Path) -> list[Path]:
    """The atomic-write temporary files of ``dest`` ('.<name>.<uuid>.part' beside it)."""
    return sorted(dest.parent.glob(f".{dest.name}.*.part")) if dest.parent.is_dir() else []


def partial_files(workdir) -> list[str]:
    """Leftovers of interrupted writes: resilience.io's '.<name>.<uuid>.part' temporary files."""
    return sorted(p.relative_to(workdir).as_posix() for folder in ("data", "results")
                  for p in (Path(workdir) / folder).rglob("*.part"))


# Checkout files outside src/, workflow/ and config/ that rule replication_readme takes as inputs.
REPLICATION_CHECKOUT_FILES = ("requirements.lock", "pyproject.toml", "LICENSE", "results/benchmark/benchmark.json")


def code_fingerprint() -> str:
    """sha256 over everything that decides what the workflow computes: the package source, the
    workflow (Snakefile, rules, scripts), config/ and the checkout files rule replication_readme reads
    (the lock, pyproject.toml, LICENSE and the committed benchmark, which `make benchmark` rewrites).
    Snakemake reruns jobs when any of it changes, so checks that a rerun does nothing or gives the
    same bytes only mean something while this stays the same."""
    digest = hashlib.sha256()
    paths = [SNAKEFILE] + sorted((REPO / "src" / "resilience").rglob("*.py")) + sorted(
        p for folder in ("workflow", "config") for p in (REPO / folder).rglob("*") if p.is_file()
        and "__pycache__" not in p.parts
        # tool caches (ruff keeps one beside workflow/scripts/ruff.toml) are not workflow code
        and not any(part.startswith(".") for part in p.relative_to(REPO).parts))
    paths += [p for p in map(REPO.joinpath, REPLICATION_CHECKOUT_FILES) if p.is_file()]
    for path in paths:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def skip_if_code_changed(since: str, what: str) -> None:
    """Skip (saying why) when the workflow's code or config changed after ``since`` was taken:
    another contributor is editing the tree, so Snakemake would rightly rerun jobs."""
    now = code_fingerprint()
    if now != since:
        pytest.skip(f"{what}: the package source, workflow or config changed while the tests ran "
                    f"(fingerprint {since[:12]} -> {now[:12]}); rerun on a quiet tree")


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digests(root) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative posix path -> hex); nothing excluded."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def states(root) -> dict[str, tuple[int, str]]:
    """(mtime in ns, sha256) of every file under ``root``."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, sha256(p))
            for p in sorted(root.rglob("*")) if p.is_file()}


def expected_outputs(config: dict) -> list[str]:
    """Every results file the ``report`` rule needs (workflow/rules/report.smk) and the report itself,
    plus the sibling outputs of the same jobs (PDFs of the figures, LaTeX of the models, the game)."""
    # rule `model`: the country panel's own exercises; its panel models are in countries_models (panel_models)
    models = sorted(m["name"] for m in config["models"] if m["kind"] != "panel")
    episodes = [e["name"] for e in config["episodes"]]
    figures = ["peer_paths", "coefficients_main"] + [
        f"{kind}_{e}" for kind in ("output_by_tercile", "resistance_scatter") for e in episodes]
    tables = ["provenance", "coverage", "unmatched_countries", "output_loss", "composite_weights", "series_breaks"]
    files = ["results/report.md", "results/report.html"]
    files += [f"results/tables/{t}.csv" for t in tables]
    files += [f"results/tables/model_{m}.{ext}" for m in models for ext in ("csv", "md", "tex")]
    files += [f"results/models/{m}.json" for m in models]
    files += [f"results/figures/{f}.{ext}" for f in figures for ext in ("png", "pdf")]
    # the backup game (workflow/rules/game.smk)
    files += [f"results/tables/backup_game_{t}.csv" for t in ("regions", "equilibria")]
    files += [f"results/figures/backup_game_{f}.{ext}" for f in ("regions", "trees") for ext in ("png", "pdf")]
    # value-chain position (workflow/rules/gvc.smk)
    files += ["results/tables/gvc_participation.csv", "results/tables/gvc_status.csv", "results/sections/gvc.md"]
    files += [f"results/figures/gvc_participation.{ext}" for ext in ("png", "pdf")]
    # the digital divide (workflow/rules/divide.smk)
    files += [f"results/tables/digital_divide{t}.csv" for t in ("", "_latest", "_trend")]
    files += [f"results/figures/digital_divide.{ext}" for ext in ("png", "pdf")] + ["results/sections/digital_divide.md"]
    # trade diversion (workflow/rules/trade.smk)
    files += [f"results/tables/trade_{t}.csv" for t in ("partner_annual", "partner_quarterly", "china_share",
                                                         "mirror_check", "sources", "census_revisions",
                                                         "largest_partners", "monthly_coverage")]
    files += [f"results/figures/trade_{f}.{ext}" for f in ("partner_ratios", "china_share") for ext in ("png", "pdf")]
    files += ["results/sections/trade_diversion.md"]
    # provenance of the numbers (workflow/rules/lineage.smk)
    files += ["results/tables/lineage.csv", "results/sections/lineage.md"]
    # the stages every panel runs (workflow/rules/stages.smk) write the same tables for every panel
    files += [f"results/tables/{p}_{t}.csv" for p in ("countries", "eu", "china")
              for t in ("martin", "martin_summary", "exposures", "exposure_summary", "digital_composite", "models",
                        "wild_bootstrap")]
    files += [f"results/tables/{p}_models.{ext}" for p in ("countries", "eu", "china") for ext in ("md", "tex")]
    files += [f"results/models/{p}_models.json" for p in ("countries", "eu", "china")]
    # EU NUTS-2 regions (workflow/rules/panel_eu.smk; measures, models, figures, section: stages.smk)
    files += [f"results/tables/eu_{t}.csv" for t in ("provenance", "nuts_harmonization", "nuts_summary", "coverage",
                                                     "cross_section")]
    files += ["results/sections/eu.md"]
    files += [f"results/figures/{p}_{f}.{ext}" for p in ("countries", "eu")
              for f in ("resistance_by_cluster", "resistance_by_digital", "coverage") for ext in ("png", "pdf")]
    # the resistance map (rule eu_map; its GISCO polygons are optional: without them the figure says so)
    files += ["results/tables/eu_map_status.csv"] + [f"results/figures/eu_resistance_map.{ext}" for ext in ("png", "pdf")]
    # the replication-package README (workflow/rules/replication.smk)
    files += ["results/REPLICATION.md"]
    # Chinese provinces (workflow/rules/panel_china.smk; measures, models, figures, section: stages.smk)
    files += [f"results/tables/china_{t}.csv" for t in ("provenance", "coverage", "footnotes",
                                                        "index_alignment", "composite_weights")]
    files += ["results/sections/china.md"]
    files += [f"results/figures/china_{f}.{ext}" for f in ("resistance_terciles", "coverage") for ext in ("png", "pdf")]
    # the robustness of every panel's headline model (workflow/rules/robustness.smk), figures per episode
    files += [f"results/tables/{p}_{t}.csv" for p in ("countries", "eu", "china")
              for t in ("event_study", "pretrends", "local_projections", "placebo", "placebo_summary",
                        "size_weighted", "adjusted_p")]
    robustness_episodes = {"countries": episodes, "eu": config["panels"]["eu"]["episodes"],
                           "china": [config["panels"]["china"]["episode"]["name"]]}
    files += [f"results/figures/{p}_{kind}_{e}.{ext}" for p, eps in robustness_episodes.items() for e in eps
              for kind in ("event_study", "local_projections", "placebo") for ext in ("png", "pdf")]
    # the specification curve of the panels with a specification_curve block (robustness.smk)
    curves = [p for p in robustness_episodes if config["panels"][p].get("specification_curve")]
    files += [f"results/tables/{p}_{t}.csv" for p in curves
              for t in ("spec_curve", "spec_curve_summary", "spec_curve_collinearity")]
    files += [f"results/figures/{p}_spec_curve_{e}.{ext}" for p in curves for e in robustness_episodes[p]
              for ext in ("png", "pdf")]
    files += ["results/sections/robustness.md"]
    # adaptation per unit and episode and its models, and when the exposures were measured (robustness.smk)
    files += [f"results/tables/{p}_{t}.csv" for p in ("countries", "eu", "china")
              for t in ("adaptation", "adaptation_models", "exposure_timing")]
    # the report's opening section: a verdict per hypothesis, panel and episode, and its short version
    # (rule findings_section)
    files += ["results/sections/findings.md", "results/findings_summary.md"]
    # the report as a PDF (Typst source beside it), its exhibit list, the replication README's PDF and the
    # rule graph by stage (workflow/rules/report.smk, replication.smk)
    files += ["results/report.pdf", "results/report.typ", "results/REPLICATION.pdf",
              "results/tables/report_exhibits.csv"]
    files += [f"results/figures/workflow_stages.{ext}" for ext in ("png", "pdf")]
    # the claims ledger and the computations it needs (workflow/rules/claims.smk, trade, risk, game, divide,
    # manufacturing)
    files += ["results/tables/claims_ledger.csv", "results/sections/claims.md"]
    files += [f"results/tables/{t}.csv" for t in ("trade_partner_growth", "complex_risk_trend",
                                                  "backup_game_paper_checks", "digital_divide_itu",
                                                  "manufacturing_world_share")]
    # countries, EU regions and Chinese provinces side by side (workflow/rules/panel_comparison.smk)
    if config.get("panel_comparison"):
        files += ["results/tables/panel_comparison.csv", "results/sections/panel_comparison.md"]
        files += [f"results/figures/panel_comparison.{ext}" for ext in ("png", "pdf")]
    # complex risk (workflow/rules/risk.smk)
    files += [f"results/tables/complex_risk_{t}.csv" for t in ("sources", "global_series", "annual", "period_means",
                                                               "daily_peaks", "model")]
    files += [f"results/tables/complex_risk_model.{ext}" for ext in ("md", "tex")]
    files += ["results/models/complex_risk_model.json", "results/sections/complex_risk.md"]
    files += [f"results/figures/complex_risk_global.{ext}" for ext in ("png", "pdf")]
    duplicated = sorted({f for f in files if files.count(f) > 1})
    assert not duplicated, f"expected_outputs lists files twice: {duplicated}"
    return files


def dag_summary(workdir, configfile) -> pd.DataFrame:
    """Snakemake's ``--detailed-summary`` of the workflow in ``workdir``: one row per output file of
    the DAG with its rule, recorded input files, status and plan ('no update' when up to date)."""
    result = run_snakemake(workdir, configfile, "--detailed-summary")
    assert result.returncode == 0, result.tail()
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("output_file\t"))
    return pd.read_csv(io.StringIO("\n".join(lines[start:])), sep="\t", dtype=str, keep_default_na=False)


def read_results_csv(path) -> pd.DataFrame:
    """A results CSV read the way the report script reads it (only empty cells are missing)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def martin_row(martin: pd.DataFrame, iso3: str, episode: str, phase: str) -> pd.Series:
    rows = martin[(martin["iso3"] == iso3) & (martin["episode"] == episode) & (martin["phase"] == phase)]
    assert len(rows) == 1, f"{len(rows)} rows in countries_martin.csv for {iso3} {episode} {phase}"
    return rows.iloc[0]


def assert_close(actual, expected, what: str, rel: float = 1e-9) -> None:
    """|actual - expected| <= rel * max(1, |expected|).

    Results CSVs carry 10 significant digits (``resilience.io.FLOAT_FORMAT = '%.10g'``), so a value
    read back from them is exact to 5e-10 relative, which is what 1e-9 (absolute below 1, relative
    above) checks; an absolute 1e-9 on a value of 13.5 would ask for more digits than the file has.
    """
    assert not (isinstance(actual, float) and math.isnan(actual)), f"{what}: NaN, expected {expected!r}"
    tolerance = rel * max(1.0, abs(expected))
    assert abs(actual - expected) <= tolerance, (
        f"{what}: {actual!r} != {expected!r} (difference {actual - expected:.3g}, tolerance {tolerance:.1g})")


def one_decimal(value: float) -> str:
    """A number as the report's sentences print it (``resilience.report.text.fmt(value, 1)``)."""
    text = f"{float(value):.1f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def markdown_section(markdown: str, heading: str) -> str:
    """The text under ``heading`` (e.g. '### Unavailable sources') up to the next heading."""
    lines = markdown.splitlines()
    start = lines.index(heading)
    body = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        body.append(line)
    return "\n".join(body)
