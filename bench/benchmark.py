"""Benchmark of the pipeline and of its main estimator (a script, not a test; not a Snakemake rule).

    python bench/benchmark.py --mirror ../shared/raw-snapshots          (or: make benchmark)

Writes ``results/benchmark/benchmark.json`` and ``results/benchmark/benchmark.md``.

Pipeline, from the raw-data mirror, into a fresh temporary directory, with ``--cores`` (default 2).
The workflow is run from a snapshot of the repository's Snakefile, workflow/, config/ and src/
copied there first (the package imported from the snapshot via PYTHONPATH), so the repository's
own data/ and results/ are never touched and an edit made to the tree while the benchmark runs
cannot turn the no-op reruns into real ones (every rule takes the package's fingerprint as a
param):

(a) cold run: the whole workflow from the mirror (wall time, number of jobs);
(b) no-op rerun: the same command again, ``--noop-runs`` times (must say "Nothing to be done");
(c) the model stage alone: ``--forcerun panel_models model --until panel_models model`` (only the model
    jobs run: every panel's shock x exposure models and the country panel's own exercises);
(d) peak memory of (a)-(c): the largest single process (max RSS, from ``/usr/bin/time -v`` when
    it exists, else ``getrusage(RUSAGE_CHILDREN)``) and the peak of the summed RSS of the whole
    Snakemake process tree (sampled every 0.2 s with psutil);
plus where the time of the cold run went, from the per-rule ``benchmark:`` files.

Scaling (e): the main two-way fixed-effects model (``main_twfe``: unit and year effects, errors
clustered by unit, CR1) on synthetic panels of 10^3 ... 10^6 unit-years (always 50 years, about 21
to 21,000 units; 5% of unit-years dropped at random so the panel is unbalanced like the real one),
with the regressors built as in ``resilience.models.design``: for two episodes and two phases, the
phase dummy times two standardized exposures, their product and two controls (20 terms). Timed:
the pipeline's own estimator ``resilience.models.panel.fit_panel`` (linearmodels ``PanelOLS``)
and pyfixest ``feols(..., vcov={"CRV1": unit})`` with its defaults, each after a warm-up call;
best of ``--repeats`` (one run at 10^6). Coefficients are asserted equal to 1e-6; the largest
relative difference of the standard errors is reported.

Specification curve (f): the country panel's curve (``resilience.robustness.specification_curve.curve_tables``
with ``panels.countries.specification_curve``, at least ``--spec-curve-min`` specifications) on the
processed data of a finished run (``--spec-curve-data``, default the repository's data/): wall and CPU
time, pyfixest's import and first-call compilation timed apart.

Targets (from the issue; reported as met / not met, never asserted): no-op rerun < 3 s, cold run
< 2 min on 2 cores, the 10^6-row model < 10 s with the faster estimator, the country curve of at least
500 specifications < 60 s. Timings depend on what
else runs on the machine: the load average before and after each measurement is recorded.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# BLAS threads: what Snakemake gives a job with `threads: 1` (it sets OMP_NUM_THREADS,
# OPENBLAS_NUM_THREADS, MKL_NUM_THREADS ... to the rule's threads), so the scaling fits run as the
# pipeline's `model` jobs do. Set before numpy is imported; an explicit environment value wins, e.g.
# `OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 python bench/benchmark.py`. (Multi-threaded OpenBLAS on a
# busy machine made the linearmodels fits 5-20x slower in our trials.)
BLAS_VARIABLES = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GOTO_NUM_THREADS",
                  "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"]
for _variable in BLAS_VARIABLES:
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SNAKEFILE = REPO / "Snakefile"
sys.path.insert(0, str(REPO / "src"))

from resilience.models.design import term_name  # noqa: E402
from resilience.models.panel import fit_panel  # noqa: E402
from resilience.models.spec import ModelSpec  # noqa: E402
from resilience.provenance.snakemake_output import job_stats  # noqa: E402

TARGETS = {"noop_rerun_s": 3.0, "cold_run_s": 120.0, "model_1e6_s": 10.0, "spec_curve_s": 60.0,
           "noop_over_snakemake_s": 0.5, "install_s": 30.0, "tests_s": 480.0}
# The rules of the model stage: every panel's shock x exposure models, the country panel's own exercises.
MODEL_RULES = ("panel_models", "model")
SIZES = (1_000, 10_000, 100_000, 1_000_000)
YEARS = 50                      # years per unit in the synthetic panels (1975-2024)
DROP_SHARE = 0.05               # share of unit-years dropped at random (unbalanced panel)
COEF_TOL = 1e-6
PACKAGES = ["snakemake", "snakemake-executor-plugin-slurm", "pandas", "numpy", "scipy", "linearmodels",
            "pyfixest", "statsmodels", "pyarrow", "psutil"]
TIMEOUT_S = 1800


def main(argv=None) -> int:
    args = _parse(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine_info(), "settings": {
        "cores": args.cores, "mirror": str(args.mirror) if args.mirror else None, "sizes": args.sizes,
        "repeats": args.repeats, "years_per_unit": YEARS, "drop_share": DROP_SHARE, "coef_tol": COEF_TOL}}
    if args.skip_pipeline:
        report["pipeline"] = {"skipped": "--skip-pipeline"}
    elif not args.mirror:
        report["pipeline"] = {"skipped": "no raw-data mirror (pass --mirror PATH or make benchmark RAW_MIRROR=PATH)"}
        print(f"pipeline benchmark skipped: {report['pipeline']['skipped']}", flush=True)
    else:
        report["pipeline"] = pipeline_benchmark(Path(args.mirror).resolve(), args.cores, args.noop_runs, args.keep)
    report["scaling"] = {"skipped": "--skip-scaling"} if args.skip_scaling else scaling_benchmark(
        args.sizes, args.repeats, args.seed)
    report["spec_curve"] = {"skipped": "--skip-spec-curve"} if args.skip_spec_curve else spec_curve_benchmark(
        Path(args.spec_curve_data), args.spec_curve_min)
    report["setup"] = setup_benchmark(args.setup_tests) if args.setup else {"skipped": "no --setup"}
    report["targets"] = targets(report)
    report["machine"]["loadavg_end"] = list(os.getloadavg())
    (out / "benchmark.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "benchmark.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {out / 'benchmark.json'} and {out / 'benchmark.md'}")
    print(markdown(report))
    return 0


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_mirror = REPO.parent / "shared" / "raw-snapshots"
    parser.add_argument("--mirror", default=str(default_mirror) if (default_mirror / "README.md").exists() else None,
                        help="raw-data mirror (default: ../shared/raw-snapshots when it exists)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--noop-runs", type=int, default=3, help="number of no-op reruns (median reported)")
    parser.add_argument("--sizes", type=lambda s: [int(float(v)) for v in s.split(",")], default=list(SIZES),
                        help="unit-years of the synthetic panels, comma-separated (default 1e3,1e4,1e5,1e6)")
    parser.add_argument("--repeats", type=int, default=3, help="timed fits per estimator and size (best kept; "
                                                                   "one above 10^5 rows)")
    parser.add_argument("--seed", type=int, default=20091)
    parser.add_argument("--out", default=str(REPO / "results" / "benchmark"))
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary working directory")
    parser.add_argument("--skip-spec-curve", action="store_true")
    parser.add_argument("--setup", action="store_true",
                        help="also time `make .venv/.installed` in a fresh clone of the repository (uv's cache as it is)")
    parser.add_argument("--setup-tests", action="store_true", help="with --setup: also time `make test` in that clone")
    parser.add_argument("--spec-curve-data", default=str(REPO),
                        help="folder with data/processed and data/interim of a finished run (default: the repository)")
    parser.add_argument("--spec-curve-min", type=int, default=500, help="fewest specifications timed")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------- setup

def setup_benchmark(run_tests: bool) -> dict:
    """The README's two steps a newcomer waits for, in a fresh clone of the committed repository with
    ../shared beside it (as CI sees it): setting up .venv, and optionally the whole test suite."""
    scratch = Path(tempfile.mkdtemp(prefix="resilience-setup-"))
    clone = scratch / "checkout"
    try:
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=300)
        if (REPO.parent / "shared").is_dir():
            (scratch / "shared").symlink_to(REPO.parent / "shared")
        result = {"commit": _git_head(clone), "install": _timed_make(clone, ".venv/.installed")}
        if run_tests and result["install"]["returncode"] == 0:
            result["tests"] = _timed_make(clone, "test")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _git_head(folder: Path) -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True,
                          check=True).stdout.strip()


def _timed_make(folder: Path, target: str) -> dict:
    load = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    done = subprocess.run(["make", target], cwd=folder, capture_output=True, text=True, timeout=TIMEOUT_S * 2)
    lines = (done.stdout + done.stderr).strip().splitlines()
    summary = next((line for line in reversed(lines) if re.search(r"\b(passed|failed)\b", line)), lines[-1] if lines else "")
    # the clone is deleted afterwards: pytest's short summary lines are all that is left to say which test failed
    failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    return {"target": target, "wall_s": round(time.perf_counter() - started, 1), "returncode": done.returncode,
            "summary": summary.strip("= "), "failed": failed, "loadavg_1min_before": load,
            "loadavg_1min_after": round(os.getloadavg()[0], 2)}


# ---------------------------------------------------------------------------------------- spec curve

def spec_curve_benchmark(folder: Path, minimum: int) -> dict:
    """Wall and CPU seconds of the country panel's specification curve on a finished run's data."""
    from resilience.config import load_yaml
    from resilience.panels import get
    from resilience.robustness import specification_curve as sc
    config = load_yaml(REPO / "config" / "config.yaml")
    owner = get("countries")
    block = dict(config["panels"]["countries"]["specification_curve"])
    episodes = owner.episodes(config)
    # the cap is per episode and the draw takes whole blocks of fixed-effect sets: the fewest blocks that
    # give at least `minimum` specifications in all
    width = len(block["forks"]["fixed_effects"])
    block["max_specifications"] = -(-(-(-minimum // len(episodes))) // width) * width
    files = {"growth": folder / "data/processed/countries_growth.parquet",
             "panel": folder / owner.panel_file, "metadata": folder / block["unit_metadata"]["file"]}
    missing = [str(f) for f in files.values() if not f.exists()]
    if missing:
        return {"skipped": f"no processed data (run the pipeline first): {missing}"}
    frames = {name: pd.read_parquet(path) for name, path in files.items()}
    load = list(os.getloadavg())
    start = time.perf_counter()
    import pyfixest
    warm = pd.DataFrame({"y": np.arange(20.0) % 7, "x": np.arange(20.0), "u": np.arange(20) % 4})
    pyfixest.feols("y ~ x | u", data=warm, vcov={"CRV1": "u"})
    warm_up = time.perf_counter() - start
    wall, cpu = time.perf_counter(), time.process_time()
    tables = sc.curve_tables(owner, frames["growth"], frames["panel"], owner.settings(config), episodes, block,
                             frames["metadata"])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    curve = tables["curve"]
    return {"specifications": int(curve[["episode", "spec_id"]].drop_duplicates().shape[0]),
            "per_episode": {str(k): int(v) for k, v in curve.groupby("episode")["spec_id"].nunique().items()},
            "rows": len(curve), "not_estimable_rows": int(curve["estimate"].isna().sum()),
            "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "warm_up_seconds": round(warm_up, 2),
            "loadavg_start": load, "loadavg_end": list(os.getloadavg())}


# ---------------------------------------------------------------------------------------- machine

def machine_info() -> dict:
    import psutil

    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    return {
        "cpu": cpu, "cores_logical": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "memory_available_gb": round(psutil.virtual_memory().available / 2**30, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "time_v": shutil.which("time") is not None and Path("/usr/bin/time").exists(),
        "packages": {name: _version(name) for name in PACKAGES},
        "blas_threads": {name: os.environ.get(name) for name in BLAS_VARIABLES},
        "rayon_num_threads": os.environ.get("RAYON_NUM_THREADS", "unset (pyfixest's Rust demeaner uses all cores)"),
        "loadavg_start": list(os.getloadavg()),
    }


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _read(path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# --------------------------------------------------------------------------------------- pipeline

# every repository file a rule reads (`repo_file(...)` in workflow/rules), so the snapshot runs every rule
SNAPSHOT_FILES = ["Snakefile", "requirements.lock", "pyproject.toml", "LICENSE"]
SNAPSHOT_FOLDERS = ["workflow", "config", "src"]


def pipeline_benchmark(mirror: Path, cores: int, noop_runs: int, keep: bool) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="resilience-bench-"))
    snapshot, work = snapshot_repo(scratch / "repo"), scratch / "run"
    work.mkdir()
    fingerprint = code_fingerprint(snapshot)[:16]
    print(f"pipeline benchmark in {work}, workflow snapshot {snapshot} (mirror {mirror}, {cores} cores)", flush=True)
    snap = {"snakefile": snapshot / "Snakefile",
            "env": os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(snapshot / "src"),
                                                                               os.environ.get("PYTHONPATH")]))}}
    try:
        cold = run_snakemake(work, mirror, cores, "cold", **snap)
        _require(cold, "cold run")
        cold["where_time_goes"] = rule_benchmarks(work / "benchmarks")
        noops = []
        for i in range(noop_runs):
            run = run_snakemake(work, mirror, cores, f"noop{i + 1}", **snap)
            _require(run, "no-op rerun")
            run["nothing_to_be_done"] = "Nothing to be done" in run.pop("_output")
            noops.append(run)
        model = run_snakemake(work, mirror, cores, "model", "--forcerun", *MODEL_RULES, "--until", *MODEL_RULES, **snap)
        _require(model, "model stage")
        floor = snakemake_floor(scratch / "floor", noop_runs)
    finally:
        if keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    for run in (cold, model):
        run.pop("_output", None)
    result = {"code_fingerprint": fingerprint, "cold_run": cold, "noop_reruns": noops,
              "noop_rerun_median_s": statistics.median(r["wall_s"] for r in noops) if noops else None,
              "model_stage": model, "snakemake_floor": floor,
              "peak_process_rss_mb": max(r["max_process_rss_mb"] or 0 for r in [cold, *noops, model]),
              "peak_tree_rss_mb": max(r["peak_tree_rss_mb"] or 0 for r in [cold, *noops, model])}
    if code_fingerprint(REPO)[:16] != result["code_fingerprint"]:
        result["note"] = ("the repository's code or config changed while the benchmark ran; the numbers are "
                          f"those of the snapshot taken at the start (fingerprint {result['code_fingerprint']})")
    bad = [r["label"] for r in noops if not r["nothing_to_be_done"]]
    if bad:
        result["warning"] = f"the no-op reruns {bad} ran jobs"
        print(f"WARNING: {result['warning']}", flush=True)
    return result


ONE_RULE_WORKFLOW = 'rule one:\n    output:\n        "one.txt",\n    shell:\n        "echo 1 > {output}"\n'


def snakemake_floor(folder: Path, runs: int) -> dict:
    """Snakemake's own start-up in this environment: the no-op rerun of a one-rule workflow (median of
    ``runs``), the part of the pipeline's no-op that no change to our workflow can remove (importing
    Snakemake and its plugins, reading the persistence store)."""
    folder.mkdir(parents=True)
    (folder / "Snakefile").write_text(ONE_RULE_WORKFLOW)
    command = [sys.executable, "-m", "snakemake", "--cores", "1", "--quiet", "rules"]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    walls = []
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True)
        walls.append(round(time.perf_counter() - started, 2))
        if "Nothing to be done" not in done.stdout + done.stderr:
            raise RuntimeError(f"the one-rule workflow in {folder} reran its job")
    return {"noop_runs_s": walls, "noop_median_s": statistics.median(walls)}


def snapshot_repo(target: Path) -> Path:
    """Copy what the workflow reads (Snakefile, workflow/, config/, src/) to ``target``."""
    target.mkdir(parents=True)
    for name in SNAPSHOT_FILES:
        shutil.copy2(REPO / name, target / name)
    for name in SNAPSHOT_FOLDERS:
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    return target


def run_snakemake(work: Path, mirror: Path, cores: int, label: str, *extra: str, snakefile: Path = SNAKEFILE,
                  env: dict | None = None) -> dict:
    """One Snakemake invocation into ``work``, timed, with its peak memory."""
    import psutil

    args = [sys.executable, "-m", "snakemake", "-s", str(snakefile), "--directory", str(work),
            "--cores", str(cores), "--config", f"raw_mirror={mirror}", *extra]
    time_file = work / f".bench-{label}.time"
    use_time = Path("/usr/bin/time").exists()
    command = (["/usr/bin/time", "-v", "-o", str(time_file)] if use_time else []) + args
    load_before = os.getloadavg()[0]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"  [{label}] {' '.join(args[1:])}", flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, cwd=str(work), env=env)
    sampler = TreeRSS(psutil.Process(proc.pid))
    sampler.start()
    try:
        output, _ = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        output, _ = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    max_rss_kb = _time_v_max_rss(time_file) if use_time else None
    if max_rss_kb is None:
        # RUSAGE_CHILDREN: the largest max RSS of any reaped descendant so far (monotonic, so only
        # meaningful when it grew during this run).
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        max_rss_kb = after if after > children_before else None
    stats = job_stats(output)
    run = {"label": label, "command": "snakemake " + " ".join(args[3:]), "returncode": proc.returncode,
           "wall_s": round(wall, 2), "jobs": sum(stats.values()), "job_stats": stats,
           "max_process_rss_mb": round(max_rss_kb / 1024, 1) if max_rss_kb else None,
           "max_rss_source": "/usr/bin/time -v" if use_time else "getrusage(RUSAGE_CHILDREN)",
           "peak_tree_rss_mb": round(sampler.peak / 2**20, 1),
           "loadavg_1min_before": round(load_before, 2), "loadavg_1min_after": round(os.getloadavg()[0], 2),
           "_output": output}
    print(f"  [{label}] {run['wall_s']} s, {run['jobs']} jobs, exit {proc.returncode}", flush=True)
    return run


class TreeRSS(threading.Thread):
    """Peak of the summed RSS of a process and all its descendants, sampled every 0.2 s."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.peak, self._done = root, 0, threading.Event()

    def run(self):
        import psutil

        while not self._done.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._done.wait(0.2)

    def stop(self):
        self._done.set()
        self.join(timeout=5)


def _time_v_max_rss(path: Path) -> int | None:
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", _read(path))
    return int(match.group(1)) if match else None


def _require(run: dict, what: str) -> None:
    if run["returncode"] != 0:
        tail = "\n".join(run["_output"].splitlines()[-40:])
        raise SystemExit(f"benchmark: the {what} failed (exit {run['returncode']}):\n{tail}")


def rule_benchmarks(folder: Path) -> list[dict]:
    """Seconds and max RSS per rule folder of the per-rule ``benchmark:`` files of a run."""
    rows = []
    for path in sorted(folder.rglob("*.tsv")):
        frame = pd.read_csv(path, sep="\t")
        rows.append({"stage": path.parent.relative_to(folder).as_posix(), "s": float(frame["s"].iloc[-1]),
                     "max_rss_mb": float(pd.to_numeric(frame["max_rss"], errors="coerce").iloc[-1])})
    if not rows:
        return []
    frame = pd.DataFrame(rows).groupby("stage").agg(jobs=("s", "size"), seconds=("s", "sum"),
                                                    max_rss_mb=("max_rss_mb", "max"))
    frame = frame.sort_values("seconds", ascending=False).reset_index()
    return [{"stage": r.stage, "jobs": int(r.jobs), "seconds": round(r.seconds, 2),
             "max_rss_mb": round(r.max_rss_mb, 1)} for r in frame.itertuples()]


def code_fingerprint(root: Path) -> str:
    """sha256 over the package source, the workflow and config/ (what decides whether jobs rerun)."""
    digest = hashlib.sha256()
    paths = [root / "Snakefile"] + sorted((root / "src" / "resilience").rglob("*.py")) + sorted(
        p for folder in ("workflow", "config") for p in (root / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts)
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------- scaling

EPISODES = {"gfc": {"contraction": (2009,), "recovery": (2010, 2011)},
            "covid": {"contraction": (2020,), "recovery": (2021, 2022)}}
EXPOSURES = ["digital_z", "lq_manuf"]
CONTROLS = ["log_gdppc", "trade_open"]


def synthetic_design(n_rows: int, seed: int) -> pd.DataFrame:
    """A design frame like ``main_twfe``'s: index (unit, year), dependent ``g``, 20 shock terms."""
    rng = np.random.default_rng(seed)
    n_units = max(2, round(n_rows / (YEARS * (1 - DROP_SHARE))))   # about n_rows unit-years kept
    years = np.arange(2025 - YEARS, 2025)
    unit = np.repeat(np.arange(n_units), YEARS)
    year = np.tile(years, n_units)
    keep = rng.random(unit.size) >= DROP_SHARE
    unit, year = unit[keep], year[keep]
    # One pre-shock value per unit and episode for each exposure and control.
    values = {(e, v): rng.standard_normal(n_units) for e in EPISODES for v in EXPOSURES + CONTROLS}
    columns = {}
    for episode, phases in EPISODES.items():
        for phase, phase_years in phases.items():
            dummy = np.isin(year, phase_years).astype("float64")
            a, b = (values[(episode, v)][unit] for v in EXPOSURES)
            columns[term_name(phase, episode, EXPOSURES[0])] = dummy * a
            columns[term_name(phase, episode, EXPOSURES[1])] = dummy * b
            columns[term_name(phase, episode, *EXPOSURES)] = dummy * a * b
            for control in CONTROLS:
                columns[term_name(phase, episode, control)] = dummy * values[(episode, control)][unit]
    x = pd.DataFrame(columns)
    beta = rng.normal(0, 0.01, x.shape[1])
    g = (0.02 + x.to_numpy() @ beta + rng.normal(0, 0.02, n_units)[unit]
         + rng.normal(0, 0.03, years.size)[year - years[0]] + rng.normal(0, 0.04, unit.size))
    index = pd.MultiIndex.from_arrays([unit, year], names=["unit", "year"])
    return pd.concat([pd.DataFrame({"g": g}), x], axis=1).set_axis(index)


SPEC = ModelSpec(name="bench_twfe", kind="panel", cov="clustered", dependents=("g",), effects=("entity", "time"))


def scaling_benchmark(sizes: list[int], repeats: int, seed: int) -> dict:
    try:
        import pyfixest
    except ImportError:
        pyfixest = None
        print("pyfixest is not installed: timing linearmodels only "
              "(pip install 'resilience[bench]' or pip install pyfixest to compare)", flush=True)
    import psutil

    # Warm-up: imports, first-call set-up and any compilation stay out of the timings.
    warm = synthetic_design(1_000, seed)
    fit_linearmodels(warm)
    if pyfixest:
        fit_pyfixest(pyfixest, warm)
    rows = []
    for n in sizes:
        design = synthetic_design(n, seed + n)
        need_gb = design.memory_usage(deep=True).sum() / 2**30 * 20   # generous: copies in both estimators
        available_gb = psutil.virtual_memory().available / 2**30
        units, nobs = design.index.get_level_values(0).nunique(), len(design)
        if need_gb > available_gb:
            print(f"  {n:>9,} rows: skipped (needs about {need_gb:.1f} GB, {available_gb:.1f} GB available)")
            rows.append({"target_rows": n, "skipped": f"memory: ~{need_gb:.1f} GB needed"})
            continue
        reps = repeats if n <= 100_000 else 1
        load_before = os.getloadavg()[0]
        lm_times, (lm_table, _) = _timed(lambda: fit_linearmodels(design), reps)
        row = {"target_rows": n, "nobs": nobs, "units": units, "years": YEARS, "regressors": design.shape[1] - 1,
               "linearmodels_s": round(min(lm_times), 3), "linearmodels_runs_s": [round(t, 3) for t in lm_times]}
        if pyfixest:
            pf_times, pf_fit = _timed(lambda: fit_pyfixest(pyfixest, design), reps)
            lm = lm_table.set_index("term")
            pf_coef, pf_se = pf_fit.coef()[lm.index], pf_fit.se()[lm.index]
            coef_diff = float(np.max(np.abs(lm["coef"].to_numpy() - pf_coef.to_numpy())))
            se_rel = float(np.max(np.abs(lm["se"].to_numpy() / pf_se.to_numpy() - 1)))
            assert coef_diff <= COEF_TOL, (
                f"{n} rows: linearmodels and pyfixest coefficients differ by {coef_diff:.3g} (> {COEF_TOL})")
            row |= {"pyfixest_s": round(min(pf_times), 3), "pyfixest_runs_s": [round(t, 3) for t in pf_times],
                    "speedup": round(min(lm_times) / min(pf_times), 2), "max_abs_coef_diff": coef_diff,
                    "max_rel_se_diff": se_rel}
        row |= {"process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "loadavg_1min_before": round(load_before, 2), "loadavg_1min_after": round(os.getloadavg()[0], 2)}
        rows.append(row)
        print(f"  {nobs:>9,} rows ({units:,} units): linearmodels {row['linearmodels_s']:.2f} s"
              + (f", pyfixest {row['pyfixest_s']:.2f} s, max |coef diff| {row['max_abs_coef_diff']:.1e}, "
                 f"max rel se diff {row['max_rel_se_diff']:.1e}" if pyfixest else ""), flush=True)
    return {"estimators": {
        "linearmodels": "resilience.models.panel.fit_panel: linearmodels PanelOLS(entity_effects, time_effects), "
                        "clustered by unit, CR1 (fixest small-sample convention)",
        "pyfixest": ("pyfixest.feols('g ~ terms | unit + year', vcov={'CRV1': 'unit'}), defaults" if pyfixest
                     else "not installed: skipped")},
        "rows": rows}


def fit_linearmodels(design: pd.DataFrame):
    return fit_panel(design, SPEC)


def fit_pyfixest(pyfixest, design: pd.DataFrame):
    data = design.reset_index()
    terms = [c for c in design.columns if c != "g"]
    return pyfixest.feols("g ~ " + " + ".join(terms) + " | unit + year", data=data, vcov={"CRV1": "unit"})


def _timed(call, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return times, result


# ---------------------------------------------------------------------------------------- targets

def targets(report: dict) -> list[dict]:
    rows = []
    pipeline = report.get("pipeline", {})
    if "cold_run" in pipeline:
        cores = report["settings"]["cores"]
        rows.append(_target("no-op rerun (median)", pipeline["noop_rerun_median_s"], TARGETS["noop_rerun_s"]))
        rows.append(_target(f"cold run from the mirror, {cores} cores", pipeline["cold_run"]["wall_s"],
                            TARGETS["cold_run_s"], note="" if cores == 2 else "target is for 2 cores"))
        floor = (pipeline.get("snakemake_floor") or {}).get("noop_median_s")
        if floor is not None:
            rows.append(_target("no-op rerun over Snakemake's own start", round(pipeline["noop_rerun_median_s"] - floor, 2),
                                TARGETS["noop_over_snakemake_s"], note=f"Snakemake alone {floor} s, same run"))
    big = [r for r in report.get("scaling", {}).get("rows", []) if r.get("target_rows") == 1_000_000
           and "linearmodels_s" in r]
    if big:
        fastest = min(v for v in (big[0]["linearmodels_s"], big[0].get("pyfixest_s")) if v is not None)
        which = "pyfixest" if big[0].get("pyfixest_s") == fastest else "linearmodels"
        rows.append(_target("10^6-row model, faster estimator", fastest, TARGETS["model_1e6_s"], note=which))
    setup = report.get("setup", {})
    for step, key in (("install", "install_s"), ("tests", "tests_s")):
        if step in setup:
            run = setup[step]
            rows.append(_target(f"`make {run['target']}` in a fresh clone", run["wall_s"], TARGETS[key],
                                note=_tests_note(run) if step == "tests" else f"exit {run['returncode']}"))
    curve = report.get("spec_curve", {})
    if "seconds" in curve:
        rows.append(_target(f"country specification curve, {curve['specifications']} specifications",
                            curve["seconds"], TARGETS["spec_curve_s"],
                            note=f"CPU {curve['cpu_seconds']} s; pyfixest warm-up {curve['warm_up_seconds']} s apart"))
    return rows


def _tests_note(run: dict) -> str:
    failed = "; ".join(line.split(" - ")[0] for line in run.get("failed", []))
    return f"exit {run['returncode']}; {run['summary']}" + (f"; {failed}" if failed else "")


def _target(what: str, value: float | None, limit: float, note: str = "") -> dict:
    return {"what": what, "measured_s": value, "target_s": limit,
            "met": None if value is None else bool(value < limit), "note": note}


# --------------------------------------------------------------------------------------- markdown

def markdown(report: dict) -> str:
    m = report["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    lines = ["# Benchmark", "",
             f"Machine: {m['cpu']}, {m['cores_usable']} usable cores ({m['cores_logical']} logical), "
             f"{m['memory_gb']} GB memory; {m['os']}; Python {m['python']}.", "",
             f"Packages: {versions}.", "",
             f"Load average (1, 5, 15 min) at start {_load(m['loadavg_start'])}, at end "
             f"{_load(m.get('loadavg_end'))}: timings include whatever else ran on the machine.", ""]
    lines += ["## Targets", "", "| target | measured | limit | met |", "|---|---:|---:|---|"]
    for t in report["targets"]:
        met = "n/a" if t["met"] is None else ("met" if t["met"] else "NOT met")
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(f"| {t['what']}{note} | {_s(t['measured_s'])} | < {t['target_s']:g} s | {met} |")
    lines.append("")
    p = report["pipeline"]
    lines += ["## Pipeline (from the mirror, into a fresh directory)", ""]
    if "skipped" in p:
        lines += [f"Skipped: {p['skipped']}.", ""]
    else:
        lines += [f"{report['settings']['cores']} cores, mirror `{report['settings']['mirror']}`.", "",
                  "| run | wall | jobs | max process RSS | peak tree RSS | load before/after |",
                  "|---|---:|---:|---:|---:|---|"]
        for run in [p["cold_run"], *p["noop_reruns"], p["model_stage"]]:
            lines.append(f"| {run['label']} (`{_short(run['command'])}`) | {_s(run['wall_s'])} | {run['jobs']} | "
                         f"{_mb(run['max_process_rss_mb'])} | {_mb(run['peak_tree_rss_mb'])} | "
                         f"{run['loadavg_1min_before']} / {run['loadavg_1min_after']} |")
        lines += ["", f"No-op rerun median {_s(p['noop_rerun_median_s'])}; every no-op said 'Nothing to be done': "
                      f"{all(r['nothing_to_be_done'] for r in p['noop_reruns'])}. Peak memory: largest single "
                      f"process {_mb(p['peak_process_rss_mb'])} ({p['cold_run']['max_rss_source']}), whole process "
                      f"tree {_mb(p['peak_tree_rss_mb'])} (psutil, sampled every 0.2 s).", ""]
        if p.get("snakemake_floor"):
            lines += [f"Snakemake's own start in this environment (the no-op of a one-rule workflow, median of "
                      f"{len(p['snakemake_floor']['noop_runs_s'])}): {_s(p['snakemake_floor']['noop_median_s'])}, "
                      "of the pipeline's no-op above; the rest is parsing our rules, checking the config and "
                      "building the DAG.", ""]
        lines += [f"Workflow snapshot fingerprint {p['code_fingerprint']} (sha256 of Snakefile, workflow/, "
                  "config/, src/resilience/ at the start)." + (f" Note: {p['note']}." if p.get("note") else ""), ""]
        if p.get("warning"):
            lines += [f"**Warning:** {p['warning']}.", ""]
        if p["cold_run"].get("where_time_goes"):
            lines += ["Where the cold run's time went (per-rule `benchmark:` files; rules without one are not "
                      "listed):", "", "| stage | jobs | job seconds (sum) | max RSS |", "|---|---:|---:|---:|"]
            lines += [f"| {r['stage']} | {r['jobs']} | {r['seconds']:.1f} | {_mb(r['max_rss_mb'])} |"
                      for r in p["cold_run"]["where_time_goes"]]
            lines.append("")
    s = report["scaling"]
    lines += ["## Scaling of the main two-way fixed-effects model", ""]
    if "skipped" in s:
        lines += [f"Skipped: {s['skipped']}.", ""]
    else:
        lines += [f"Synthetic unbalanced panels, {YEARS} years per unit, {DROP_SHARE:.0%} of unit-years dropped, "
                  "20 shock x exposure terms (two episodes x two phases x two exposures, their product, two "
                  "controls), unit and year effects, errors clustered by unit.", "",
                  f"- linearmodels: {s['estimators']['linearmodels']}",
                  f"- pyfixest: {s['estimators']['pyfixest']}", "",
                  f"BLAS threads: OPENBLAS_NUM_THREADS={m['blas_threads']['OPENBLAS_NUM_THREADS']}, "
                  f"OMP_NUM_THREADS={m['blas_threads']['OMP_NUM_THREADS']} (as in a Snakemake job with `threads: 1`); "
                  f"RAYON_NUM_THREADS: {m['rayon_num_threads']}.", "",
                  f"Best of {report['settings']['repeats']} fits up to 10^5 rows, one fit above. Coefficients "
                  f"asserted equal to {COEF_TOL:g}.", "",
                  "| unit-years | units | linearmodels | pyfixest | speedup | max abs coef diff | max rel SE diff "
                  "| process peak RSS |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in s["rows"]:
            if "skipped" in r:
                lines.append(f"| {r['target_rows']:,} | | skipped: {r['skipped']} | | | | | |")
                continue
            lines.append(f"| {r['nobs']:,} | {r['units']:,} | {_s(r['linearmodels_s'])} | {_s(r.get('pyfixest_s'))} "
                         f"| {_x(r.get('speedup'))} | {_e(r.get('max_abs_coef_diff'))} | {_e(r.get('max_rel_se_diff'))} "
                         f"| {_mb(r['process_peak_rss_mb'])} |")
        lines.append("")
    curve = report.get("spec_curve", {})
    lines += ["## Specification curve (country panel)", ""]
    if "skipped" in curve:
        lines += [f"Skipped: {curve['skipped']}.", ""]
    elif curve:
        lines += [f"{curve['specifications']} specifications ({curve['per_episode']} per episode, {curve['rows']} rows, "
                  f"{curve['not_estimable_rows']} not estimable) in {_s(curve['seconds'])} wall, "
                  f"{_s(curve['cpu_seconds'])} CPU, one process; pyfixest import and first call "
                  f"{_s(curve['warm_up_seconds'])} before. Load {_load(curve['loadavg_start'])} at start, "
                  f"{_load(curve['loadavg_end'])} at end.", ""]
    return "\n".join(lines)


def _s(value) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _mb(value) -> str:
    return "-" if not value else f"{value:,.0f} MB"


def _x(value) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _e(value) -> str:
    return "-" if value is None else f"{value:.1e}"


def _load(values) -> str:
    return "-" if not values else ", ".join(f"{v:.2f}" for v in values)


def _short(command: str) -> str:
    """The command without the fixed part (-s, --directory, --cores, --config)."""
    extra = command.split("raw_mirror=", 1)[-1].split(" ", 1)
    return "snakemake" + (" " + extra[1] if len(extra) > 1 else "")


if __name__ == "__main__":
    sys.exit(main())
