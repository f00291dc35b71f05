"""results/REPLICATION.md: the replication-package README, generated so that it cannot drift.

The structure follows the Social Science Data Editors' template README for replication packages:
overview, data availability and provenance statements, computational requirements, instructions for
replicators, list of exhibits. The data statements come from the source catalog, the raw-file
manifests of the run and the mirror folders' SOURCES.csv; the requirements from requirements.lock,
pyproject.toml and the committed benchmark (results/benchmark/benchmark.json); the exhibit list from
the workflow's rules (every output under results/tables/ or results/figures/, with its rule, rule file
and report caption). Every function here takes data and returns data or text.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

import pandas as pd

EXHIBIT_FOLDERS = {"results/figures": "Figure", "results/tables": "Table"}
EXHIBIT_SUFFIXES = (".png", ".pdf", ".svg", ".csv", ".md", ".tex")
# A Snakemake wildcard: {name} or {name,constraint} (the constraint may hold {m,n} quantifiers).
_WILDCARD = re.compile(r"\{\s*(?P<name>\w+?)(\s*,\s*(?P<constraint>([^{}]+|\{\d+(,\d+)?\})*))?\s*\}")
_LITERAL_ALTERNATIVES = re.compile(r"[\w.-]+(\|[\w.-]+)*")
SHA_SHOWN = 12  # hex digits of a sha256 printed in tables (the manifests hold the full hash)


# ------------------------------------------------------------------ the workflow's outputs


def _relative(path, root) -> str:
    path, root = Path(str(path)), Path(str(root))
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _source_path(source) -> str:
    """A caption as a path: Snakemake keeps it as a SourceFile (joined to the rule file's folder)."""
    if hasattr(source, "get_path_or_uri"):
        return str(source.get_path_or_uri(secret_free=True))
    return str(source)


def rule_outputs(rules: Iterable, root) -> list[dict]:
    """One dict per output of every Snakemake rule: rule, rule file and output pattern (relative to
    ``root``), and the report caption file, category and subcategory when the output is flagged with
    ``report(...)``. ``rules`` are Snakemake Rule objects (``workflow.rules``) or look-alikes with
    ``name``, ``snakefile`` and ``output`` (items with a ``flags`` dict)."""
    out = []
    for rule in rules:
        for item in rule.output:
            flag = (getattr(item, "flags", None) or {}).get("report")
            caption = getattr(flag, "caption", None)
            out.append({
                "rule": rule.name,
                "rule_file": _relative(rule.snakefile, root),
                "pattern": str(item),
                "caption": _relative(_source_path(caption), root) if caption else "",
                "category": (getattr(flag, "category", None) or "") if flag else "",
                "subcategory": (getattr(flag, "subcategory", None) or "") if flag else "",
                "program": _program(rule, root),
            })
    return out


def _program(rule, root) -> str:
    """The script a rule runs, relative to ``root`` ('' for a rule without one)."""
    script = getattr(rule, "script", None)
    if not script or not getattr(rule, "snakefile", None):
        return ""
    return _relative(os.path.normpath(PurePosixPath(str(rule.snakefile)).parent / str(script)), root)


def exhibit_outputs(rules: Iterable, root) -> list[dict]:
    """``rule_outputs`` of the outputs that land in results/tables or results/figures."""
    return [o for o in rule_outputs(rules, root) if is_exhibit(o["pattern"])]


def mirror_folder_files(mirror, mirror_paths: Iterable[str], name: str) -> list[str]:
    """<mirror>/<folder>/<name> (e.g. SOURCES.csv) of every mirror folder in ``mirror_paths`` where
    that file exists; none when no mirror is configured."""
    if not mirror:
        return []
    folders = sorted({split_mirror_path(p)[0] for p in mirror_paths if p})
    return [str(Path(mirror) / f / name) for f in folders if (Path(mirror) / f / name).is_file()]


def is_exhibit(pattern: str) -> bool:
    path = PurePosixPath(pattern)
    return str(path.parent) in EXHIBIT_FOLDERS and path.suffix in EXHIBIT_SUFFIXES


def constraint_values(constraint: str | None) -> list[str] | None:
    """The values a wildcard constraint allows when it is a plain list of alternatives ('gfc|covid'),
    as the Snakefile's global wildcard_constraints are; None for any other regular expression."""
    if constraint is None or not _LITERAL_ALTERNATIVES.fullmatch(constraint.strip()):
        return None
    return constraint.strip().split("|")


def expand_pattern(pattern: str) -> tuple[list[str], list[str]]:
    """(files, unresolved wildcards). A pattern whose wildcards all carry a list of alternatives is
    expanded to every file (in the order of the alternatives); otherwise the pattern is returned once,
    without its constraints, with the names of the wildcards it could not expand."""
    wildcards = list(_WILDCARD.finditer(pattern))
    plain = _WILDCARD.sub(lambda m: "{" + m.group("name") + "}", pattern)
    names = list(dict.fromkeys(m.group("name") for m in wildcards))
    values = {}
    for match in wildcards:
        allowed = constraint_values(match.group("constraint"))
        if allowed is not None:
            values.setdefault(match.group("name"), allowed)
    unresolved = [n for n in names if n not in values]
    if unresolved:
        return [plain], unresolved
    files = [plain.format_map(dict(zip(names, combo))) for combo in itertools.product(*(values[n] for n in names))]
    return files, []


def exhibits(outputs: Iterable[Mapping], made: Iterable[str] | None = None) -> list[dict]:
    """The list of exhibits: every figure and table file under results/ that a rule writes, one entry
    per exhibit (a file stem: a figure's PNG and PDF, a table's CSV, Markdown and LaTeX), numbered
    Figure 1.. and Table 1.. in path order, with the rule and rule file that write it and the report
    caption of the file flagged for the report. ``made``: the files the workflow's jobs make; a pattern
    expanded over its wildcards' alternatives keeps only those (not every combination is a job, e.g.
    a figure only one regional panel draws)."""
    made = None if made is None else set(map(str, made))
    grouped: dict[str, dict] = {}
    for out in outputs:
        if not is_exhibit(out["pattern"]):
            continue
        files, unresolved = expand_pattern(out["pattern"])
        if made is not None and not unresolved:
            files = [f for f in files if f in made]
        for file in files:
            path = PurePosixPath(file)
            stem = str(path.with_suffix(""))
            entry = grouped.setdefault(stem, {
                "stem": stem, "kind": EXHIBIT_FOLDERS[str(path.parent)], "suffixes": [], "rule": out["rule"],
                "rule_file": out["rule_file"], "caption": "", "unresolved": unresolved,
            })
            entry["suffixes"].append(path.suffix)
            if out.get("caption") and not entry["caption"]:
                entry["caption"] = out["caption"]
    ordered = sorted(grouped.values(), key=lambda e: (e["kind"] != "Figure", e["stem"]))
    counters: dict[str, int] = {}
    for entry in ordered:
        counters[entry["kind"]] = counters.get(entry["kind"], 0) + 1
        entry["label"] = f"{entry['kind']} {counters[entry['kind']]}"
        entry["suffixes"] = sorted(set(entry["suffixes"]), key=EXHIBIT_SUFFIXES.index)
    return ordered


def _cell(text) -> str:
    """Text fit for one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def exhibit_lines(entries: list[dict], shown: Mapping[str, list[str]] | None = None) -> list[str]:
    """One row per analysis file. It carries the report's exhibit number only where the report shows
    the file (``shown``: file -> its labels, :func:`report_labels`): a file the report does not show,
    e.g. a figure not drawn for want of its source, is listed here but is not an exhibit."""
    shown = shown or {}
    lines = ["| in the report as | file | also as | rule | rule file | report caption |", "|---|---|---|---|---|---|"]
    for e in entries:
        first, *others = e["suffixes"]
        file = f"`{e['stem']}{first}`"
        if e["unresolved"]:
            file += " (one per " + ", ".join(e["unresolved"]) + ")"
        labels = [label for suffix in e["suffixes"] for label in shown.get(f"{e['stem']}{suffix}", [])]
        caption = f"`{e['caption']}`" if e["caption"] else "(none)"
        lines.append(f"| {', '.join(dict.fromkeys(labels)) or '-'} | {file} | {', '.join(others) or '-'} | "
                     f"`{e['rule']}` | `{e['rule_file']}` | {caption} |")
    return lines


def report_labels(report_exhibits: pd.DataFrame | None) -> dict[str, list[str]]:
    """Results file -> the report's exhibits showing it ("Figure 3", "Table 12"), in report order."""
    shown: dict[str, list[str]] = {}
    if report_exhibits is not None:
        for row in report_exhibits.itertuples(index=False):
            for file in (str(row.files).split() if pd.notna(row.files) else []):
                shown.setdefault(file, []).append(f"{row.kind} {row.number}")
    return shown


# ------------------------------------------------------------------ data availability


def split_mirror_path(mirror_path: str) -> tuple[str, str]:
    """'unsd-ama/vintage-2025-12/x.xlsx' -> ('unsd-ama', 'vintage-2025-12/x.xlsx'): the mirror folder
    (whose SOURCES.csv lists the file) and the file's name in that listing."""
    folder, _, file = mirror_path.partition("/")
    return folder, file


def mirror_entry(mirror_path: str, listings: Mapping[str, list[dict]]) -> dict | None:
    """The SOURCES.csv row of a mirror file, or None when the mirror does not list it. ``listings``:
    folder -> its SOURCES.csv rows as ``resilience.sources.fetch.read_mirror_sources`` returns them."""
    if not mirror_path:
        return None
    folder, file = split_mirror_path(mirror_path)
    rows = [row for row in listings.get(folder) or [] if row.get("file") == file]
    return dict(rows[0]) if rows else None


def how_to_get(row: Mapping) -> str:
    """How a replicator obtains a catalog row's file (rule `download` does it; this says from where)."""
    method, url = row.get("live_method", ""), row.get("live_url", "")
    fmt = row.get("live_format", "") or "?"
    if method == "wb_api":
        return f"World Bank API v2, all pages as JSON ({fmt}): {url}"
    if method == "http":
        return f"download `{row.get('live_file', '')}` ({fmt}): {url}"
    where = f" (published at {url})" if url else ""
    return f"no documented download URL{where}: only from a mirror, as `{row.get('mirror_path') or '?'}`"


def mirror_vintage(row: Mapping, entry: Mapping | None, has_mirror: bool) -> str:
    if not has_mirror:
        return "no mirror configured for this run"
    if not row.get("mirror_path"):
        return "the mirror lacks it (no mirror path in the catalog)"
    if entry is None:
        return f"the mirror lacks it (`{row['mirror_path']}` not listed in its SOURCES.csv)"
    vintage = entry.get("vintage") or "vintage not stated"
    return f"`{row['mirror_path']}`: {vintage}"


def run_status(manifest: Mapping | None, optional: bool) -> str:
    """What this run obtained, from data/raw/<dataset>/manifest.json (no retrieval time for mirror
    copies, so that two runs from the same mirror write the same bytes)."""
    if manifest is None:
        return "not obtained in this run"
    if manifest.get("status") == "unavailable":
        kind = "optional, the run went on without it" if optional else "unavailable"
        return f"unavailable ({kind}): {manifest.get('message') or 'no message'}"
    digest = (manifest.get("sha256") or "")[:SHA_SHOWN]
    if manifest.get("mode") == "live":
        when = (manifest.get("retrieved_at") or "")[:10]
        return f"downloaded {when}, sha256 `{digest}`" + (f", {manifest['vintage_hint']}" if manifest.get("vintage_hint") else "")
    return f"mirror file, sha256 `{digest}`"


def data_statement_lines(catalog: pd.DataFrame, manifests: Mapping[str, Mapping], listings: Mapping[str, list[dict]],
                         provenance_notes: Iterable[str], optional: Iterable[str], has_mirror: bool) -> list[str]:
    """One subsection per publisher: its licence or terms, then one table row per dataset (title,
    how to get it, the vintage the mirror holds or that it lacks it, what this run obtained);
    ``provenance_notes`` are the mirror folders that have a PROVENANCE.md."""
    optional, notes = set(optional), sorted(set(provenance_notes))
    lines: list[str] = []
    for publisher, rows in catalog.groupby("publisher", sort=True):
        licences = sorted({r for r in rows["licence"] if r})
        lines += ["", f"### {publisher}", "",
                  f"Licence or terms: {'; '.join(licences) if licences else 'not stated in the catalog'}.", "",
                  "| dataset | title | how to get it | vintage in the mirror | this run |", "|---|---|---|---|---|"]
        for row in sorted(rows.to_dict("records"), key=lambda r: r["dataset"]):
            entry = mirror_entry(row["mirror_path"], listings)
            lines.append(f"| `{row['dataset']}` | {_cell(row['title'])} | {_cell(how_to_get(row))} | "
                         f"{_cell(mirror_vintage(row, entry, has_mirror))} | "
                         f"{_cell(run_status(manifests.get(row['dataset']), row['dataset'] in optional))} |")
        folders = sorted({split_mirror_path(p)[0] for p in rows["mirror_path"] if p} & set(notes))
        if folders:
            lines += ["", "Provenance notes of the mirror (where each file was taken from, caveats): "
                      + ", ".join(f"`{f}/PROVENANCE.md`" for f in folders) + "."]
    return lines


# ------------------------------------------------------------------ computational requirements


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_versions(lock_text: str) -> dict[str, tuple[str, str]]:
    """requirements.lock -> {normalized name: (name as written, version)} for every `name==version`."""
    pins = {}
    for line in lock_text.splitlines():
        line = line.split("#", 1)[0].strip()
        name, sep, version = line.partition("==")
        if sep and name.strip():
            name = re.sub(r"\[.*\]", "", name).strip()
            pins[_normalize(name)] = (name, version.split(";", 1)[0].strip())
    return pins


def direct_dependencies(pyproject: Mapping) -> list[str]:
    """The names in [project].dependencies (what the code imports), in their order."""
    deps = pyproject.get("project", {}).get("dependencies", [])
    return [re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].strip() for d in deps]


def software_lines(lock_text: str, pyproject: Mapping, benchmark: Mapping | None) -> list[str]:
    pins = pinned_versions(lock_text)
    python = pyproject.get("project", {}).get("requires-python", "not stated")
    measured = (benchmark or {}).get("machine", {}).get("python")
    lines = [f"- Python {python} (`pyproject.toml`)"
             + (f"; the benchmark machine ran Python {measured}." if measured else "."),
             f"- The exact stack: `requirements.lock`, {len(pins)} pinned packages (`make` installs it into `.venv`; "
             "conda users: `environment.yml`). The packages the code uses directly:", "",
             "| package | version |", "|---|---|"]
    for name in direct_dependencies(pyproject):
        written, version = pins.get(_normalize(name), (name, "not pinned in requirements.lock"))
        lines.append(f"| {written} | {version} |")
    return lines


def _seconds(value) -> str:
    return f"{float(value):.1f} s"


def hardware_lines(benchmark: Mapping | None) -> list[str]:
    """Hardware and measured run time, read from results/benchmark/benchmark.json (`make benchmark`)."""
    if not benchmark:
        return ["No benchmark is recorded (`results/benchmark/benchmark.json` is absent): `make benchmark` measures one."]
    machine, pipeline = benchmark.get("machine", {}), benchmark.get("pipeline", {})
    cores = benchmark.get("settings", {}).get("cores", "?")
    lines = [f"Measured by `make benchmark` (`results/benchmark/benchmark.json`) on {machine.get('cpu', 'an unnamed CPU')}, "
             f"{machine.get('cores_usable', '?')} usable cores, {machine.get('memory_gb', '?')} GB memory "
             f"({machine.get('os', 'OS not recorded')}):", ""]
    cold = pipeline.get("cold_run") or {}
    if "wall_s" in cold:
        lines.append(f"- whole pipeline from the offline mirror on {cores} cores, from scratch: "
                     f"{_seconds(cold['wall_s'])} for {cold.get('jobs', '?')} jobs;")
    if "noop_rerun_median_s" in pipeline:
        lines.append(f"- rerun with nothing to do (median): {_seconds(pipeline['noop_rerun_median_s'])};")
    if "peak_process_rss_mb" in pipeline:
        lines.append(f"- peak memory: largest process {pipeline['peak_process_rss_mb']:.0f} MB, whole process tree "
                     f"{pipeline.get('peak_tree_rss_mb', float('nan')):.0f} MB.")
    if len(lines) == 2:
        lines.append("- the benchmark file records no pipeline timings.")
    lines += ["", "The first `make all` also installs the pinned stack into `.venv` (network access to PyPI needed "
              "once); a run without a mirror also downloads the raw files, those that have a documented download URL "
              "(see Summary of availability)."]
    return lines


# ------------------------------------------------------------------ rights, availability, exhibits, seeds

# Licence phrases that grant (or withhold) the right to pass the file on; matched in this order.
_NO_LICENCE = ("no redistribution licence", "none stated", "no formal open licence", "before redistribution")
_NON_COMMERCIAL = ("non-commercial",)
_OPEN = ("cc by", "public domain", "free with attribution", "un terms of use")
_THIRD_PARTY = ("compiled by", "not a publisher file")


def redistribution(licence: str, publisher: str) -> str:
    """Whether a replication package may carry the file, from the catalog's licence text; a file
    compiled by a third party is said to be one."""
    text = (licence or "").lower()
    if not text:
        verdict = "no licence stated: not redistributed; obtain it from the publisher"
    elif any(phrase in text for phrase in _NO_LICENCE):
        verdict = "no licence to redistribute: not redistributed; obtain it from the publisher"
    elif any(phrase in text for phrase in _NON_COMMERCIAL):
        verdict = "non-commercial use only, with the acknowledgement: redistributable for research"
    elif any(phrase in text for phrase in _OPEN):
        verdict = "redistributable with attribution"
    else:
        verdict = "terms allow download and use with citation; no redistribution right stated: not redistributed"
    if any(phrase in (publisher or "").lower() for phrase in _THIRD_PARTY):
        verdict += "; compiled by a third party, not the publisher's own file (obtain it where the catalog's URL points)"
    return verdict


def rights_lines(catalog: pd.DataFrame) -> list[str]:
    """One row per publisher: licence and what it allows a replication package to carry."""
    lines = ["| publisher | datasets | licence or terms | redistribution |", "|---|---|---|---|"]
    for (publisher, licence), rows in catalog.groupby(["publisher", "licence"], sort=True):
        lines.append(f"| {_cell(publisher)} | {len(rows)} | {_cell(licence or 'not stated')} | "
                     f"{_cell(redistribution(licence, publisher))} |")
    return lines


def availability_lines(catalog: pd.DataFrame, manifests: Mapping[str, Mapping]) -> list[str]:
    """The template's summary of availability, ticked from the catalog and this run's manifests."""
    verdicts = [redistribution(r["licence"], r["publisher"]) for r in catalog.to_dict("records")]
    closed = sum(v.startswith(("no licence", "terms allow")) for v in verdicts)
    missing = sorted(d for d, m in manifests.items() if m.get("status") == "unavailable")
    mirror_only = sorted(catalog.index[catalog["live_method"].astype(str) == "none"].astype(str))

    def box(flag: bool) -> str:
        return "[x]" if flag else "[ ]"
    return [f"- {box(True)} All data are publicly available (each has a public download page, "
            "`config/sources.csv`).",
            f"- {box(closed > 0)} Some data cannot be made publicly available by this package: {closed} of "
            f"{len(catalog)} datasets carry no redistribution right (see Rights and redistribution).",
            f"- {box(False)} No data can be made publicly available.",
            f"- {box(True)} Data are not included in the repository: rule `download` fetches them, or copies "
            "them from a mirror of the publishers' files.",
            f"- {box(bool(mirror_only))} Some data have no documented download URL ({len(mirror_only)} datasets: "
            f"{', '.join(f'`{d}`' for d in mirror_only) if mirror_only else 'none'}): a run without a mirror "
            "cannot fetch them, so the exhibits resting on them need a mirror holding the publisher's files "
            "(where each is published: Datasets, below).",
            f"- {box(bool(missing))} Some data were unavailable in this run ({len(missing)} datasets: "
            f"{', '.join(f'`{d}`' for d in missing) if missing else 'none'}); the exhibits that need them are "
            "listed under Exhibits that need live-only sources."]


def live_only_lines(lineage: pd.DataFrame | None, report_exhibits: pd.DataFrame | None) -> list[str]:
    """Results files (and the report's exhibits showing them) that rest on a dataset this run could not
    obtain: they need the live source (or a mirror that has it) to show data."""
    if lineage is None or lineage.empty:
        return ["No lineage table (`results/tables/lineage.csv`) was given, so this is not known."]
    missing = lineage[lineage["status"] == "unavailable"]
    if missing.empty:
        return ["Every results file rests only on datasets this run obtained."]
    by_file = missing.groupby("results_file")["dataset"].apply(lambda d: sorted(set(d)))
    shown = report_labels(report_exhibits)
    lines = ["| results file | in the report as | datasets it needs that this run lacked |", "|---|---|---|"]
    for file, datasets in by_file.items():
        if file.startswith(("results/tables/lineage", "results/REPLICATION", "results/report")):
            continue
        lines.append(f"| `{file}` | {', '.join(shown.get(file, [])) or '-'} | "
                     f"{', '.join(f'`{d}`' for d in datasets)} |")
    return lines


def manuscript_exhibit_lines(report_exhibits: pd.DataFrame | None, outputs: Iterable[Mapping]) -> list[str]:
    """The report's numbered exhibits in its order, each with the rule and program that write its file."""
    if report_exhibits is None or report_exhibits.empty:
        return ["The report lists no numbered exhibits (`results/tables/report_exhibits.csv` absent or empty)."]
    producers = {}
    for out in outputs:
        for path in expand_pattern(out["pattern"])[0]:
            producers.setdefault(path, out)
    lines = ["| exhibit | caption | file | rule | program |", "|---|---|---|---|---|"]
    for row in report_exhibits.itertuples(index=False):
        files = str(row.files).split() if pd.notna(row.files) else []
        made = [producers[f] for f in files if f in producers]
        rule = ", ".join(dict.fromkeys(f"`{m['rule']}`" for m in made)) or "`report`"
        program = ", ".join(dict.fromkeys(f"`{m['program']}`" for m in made if m.get("program"))) or \
            "`workflow/scripts/report.py`"
        lines.append(f"| {row.kind} {row.number} | {_cell(row.caption)} | "
                     f"{', '.join(f'`{f}`' for f in files) or 'in `results/report.md`'} | {rule} | {program} |")
    return lines


def config_seeds(config: Mapping) -> dict[str, object]:
    """Every `seed` key of the configuration by its dotted path: the only sources of randomness."""
    found: dict[str, object] = {}

    def walk(node, path):
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        elif path.rsplit(".", 1)[-1] == "seed":
            found[path] = node
    walk(config, "")
    return dict(sorted(found.items()))


def seed_lines(seeds: Mapping[str, object] | None) -> list[str]:
    if not seeds:
        return ["No seed is set in the configuration: no step draws random numbers."]
    lines = ["Randomness enters only through bootstraps and resampling (wild cluster bootstrap, Romano-Wolf, "
             "placebo draws), each seeded from `config/config.yaml` (the step creates its random generator from "
             "that seed), so reruns give the same bytes:", "",
             "| config key | seed |", "|---|---|"]
    return lines + [f"| `{path}` | {value} |" for path, value in seeds.items()]


RUN_TIME_BUCKETS = ((600, "<10 minutes"), (3600, "10-60 minutes"), (7200, "1-2 hours"), (28800, "2-8 hours"),
                    (86400, "8-24 hours"), (259200, "1-3 days"), (1209600, "3-14 days"))
DISK_BUCKETS = ((25e6, "<25 MB"), (250e6, "25-250 MB"), (2e9, "250 MB - 2 GB"), (25e9, "2-25 GB"),
                (250e9, "25-250 GB"), (2e12, "250 GB - 2 TB"))


def bucket(value: float, buckets) -> str:
    """The template's bucket of a run time (seconds) or a size (bytes)."""
    return next((label for limit, label in buckets if value < limit), "more")


def size_lines(raw_bytes: int, results_bytes: int, benchmark: Mapping | None) -> list[str]:
    cold = ((benchmark or {}).get("pipeline") or {}).get("cold_run") or {}
    wall = cold.get("wall_s")
    machine = (benchmark or {}).get("machine") or {}
    total = raw_bytes + results_bytes
    return [f"- Expected run time: {bucket(float(wall), RUN_TIME_BUCKETS) if wall else 'not measured'} "
            "(whole pipeline from the offline mirror, `make benchmark`), plus the one-time installation.",
            f"- Disk space: {bucket(total, DISK_BUCKETS)} ({raw_bytes / 1e6:.1f} MB of raw files, "
            f"{results_bytes / 1e6:.1f} MB of results; the virtual environment adds about 1-2 GB).",
            f"- Operating systems tested: {machine.get('os', 'not recorded')} (the benchmark machine, Debian 12 "
            "userland). Other systems with Python 3.11 and the pinned wheels are expected to work but are untested."]


def reference_lines(catalog: pd.DataFrame, manifests: Mapping[str, Mapping]) -> list[str]:
    """A reference for every dataset of the catalog: publisher, title, URL, and the version this run used."""
    lines = []
    for row in sorted(catalog.to_dict("records"), key=lambda r: (r["publisher"], r["dataset"])):
        manifest = manifests.get(row["dataset"]) or {}
        used = (f" This run: sha256 `{(manifest.get('sha256') or '')[:SHA_SHOWN]}`." if manifest.get("sha256")
                else " Not obtained in this run.")
        url = row.get("live_url") or "no public URL recorded"
        lines.append(f"- {row['publisher']}. *{row['title']}*. {url} (dataset `{row['dataset']}`).{used}")
    return lines


def code_licence(licence_text: str | None) -> str:
    first = (licence_text or "").strip().splitlines()[0] if (licence_text or "").strip() else ""
    return (f"The code is under the {first} (`LICENSE`)." if first
            else "No licence file was found: all rights reserved by the authors.")


# ------------------------------------------------------------------ the whole document


def replication_markdown(*, catalog: pd.DataFrame, manifests: Mapping[str, Mapping],
                         listings: Mapping[str, list[dict]], provenance_notes: Iterable[str],
                         optional: Iterable[str], has_mirror: bool, outputs: Iterable[Mapping],
                         lock_text: str, pyproject: Mapping, benchmark: Mapping | None,
                         made: Iterable[str] | None = None, lineage: pd.DataFrame | None = None,
                         report_exhibits: pd.DataFrame | None = None, seeds: Mapping | None = None,
                         licence_text: str | None = None, raw_bytes: int = 0, results_bytes: int = 0) -> str:
    entries = exhibits(outputs, made)
    n_figures = sum(e["kind"] == "Figure" for e in entries)
    n_publishers = catalog["publisher"].nunique()
    source = ("an offline mirror of the publishers' files (`raw_mirror`)" if has_mirror
              else "the publishers' live endpoints")
    lines = [
        "# Replication package: industrial and supply-chain resilience", "",
        "Generated by rule `replication_readme` (`workflow/rules/replication.smk`) from the workflow's rules, the "
        "source catalog `config/sources.csv`, the raw-file manifests of this run, the mirror's `SOURCES.csv` files, "
        "`requirements.lock`, `pyproject.toml` and `results/benchmark/benchmark.json`; do not edit it by hand. "
        "Its sections follow the Social Science Data Editors' template README for replication packages.", "",
        "## Overview", "",
        f"One Snakemake workflow builds the {n_figures} figures and {len(entries) - n_figures} tables listed under "
        f"\"List of analysis files\" from {len(catalog)} raw datasets of {n_publishers} publishers: it downloads the "
        "published files, cleans them into tidy tables, builds a country-year panel, computes resilience measures "
        "around the 2008-09 and 2020 shocks, estimates the models and writes the tables, the figures and "
        "`results/report.md`, in which every number names the results file it was read from. "
        f"This run took the raw files from {source}.", "",
        "## Data availability and provenance statements", "",
        "All data are public. Each dataset is one row of `config/sources.csv`; rule `download` obtains it from the "
        "publisher, or from an offline mirror of the publishers' files (the sha256 of every mirror file is checked "
        "against the folder's `SOURCES.csv`), and records URL, size and sha256 in `data/raw/<dataset>/manifest.json`. "
        "An optional dataset (`sources.optional` in `config/config.yaml`) that cannot be had is reported as "
        "unavailable; nothing is imputed for it.",
    ]
    lines += ["", "### Summary of availability", ""] + availability_lines(catalog, manifests)
    lines += ["", "### Rights and redistribution", "",
              "What each publisher's terms allow this package to carry. The package carries no data: a replicator "
              "downloads each file from its publisher (rule `download`). The exact bytes this run used (sha256 "
              "below) can differ from today's download where a publisher revises in place; those bytes are "
              "available only from the offline mirror the authors keep (ask them for a copy of "
              "`raw-snapshots/`, for the redistributable files; the others from the publisher's archive).", ""]
    lines += rights_lines(catalog)
    lines += ["", "### Datasets", ""]
    lines += data_statement_lines(catalog, manifests, listings, provenance_notes, optional, has_mirror)
    lines += ["", "### Exhibits that need live-only sources", "",
              "Results that read a dataset this run did not obtain (the offline mirror lacks it, and it has no "
              "download the run could reach): the series it supplies are absent from them, so with the live source "
              "(or a mirror that has it) they show more, or differ. The report's own exhibits are named by number.", ""]
    lines += live_only_lines(lineage, report_exhibits)
    lines += ["", "## Computational requirements", "", "### Software", ""]
    lines += software_lines(lock_text, pyproject, benchmark)
    lines += ["", "### Hardware and run time", ""]
    lines += hardware_lines(benchmark)
    lines += ["", "### Summary", ""] + size_lines(raw_bytes, results_bytes, benchmark)
    lines += ["", "### Controlled randomness", ""] + seed_lines(seeds)
    lines += ["", "### Code licence", "", code_licence(licence_text)]
    lines += [
        "", "## Instructions for replicators", "",
        "1. `make all` (or `make all RAW_MIRROR=/path/to/raw-snapshots` to take the raw files from a mirror): sets "
        "up `.venv` with the pinned stack and runs the whole workflow; outputs land in `results/`.",
        "2. `make test`: runs the test suite (what CI runs).", "",
        "`make report-html` then writes `results/snakemake_report.html`, a self-contained Snakemake report with "
        "every figure and table and its caption; `make verify` reruns everything into a scratch directory and "
        "compares the sha256 of every results file.", "",
        "## Exhibits in the report's order", "",
        "The numbered figures and tables of `results/report.md` (and its HTML and PDF), each with the file it "
        "shows, the rule that writes that file and the program the rule runs.", "",
    ]
    lines += manuscript_exhibit_lines(report_exhibits, outputs)
    lines += ["", "## List of analysis files", "",
              "Every table and figure file under `results/` that a rule of the workflow writes, with what produces "
              "it, and the report's number for those the report shows (a figure drawn without data, for want "
              "of a source, is no exhibit); the report caption is the text `snakemake --report` shows with it.", ""]
    lines += exhibit_lines(entries, report_labels(report_exhibits))
    lines += ["", "## References", "", "Every dataset of the source catalog:", ""]
    lines += reference_lines(catalog, manifests)
    return "\n".join(lines) + "\n"
