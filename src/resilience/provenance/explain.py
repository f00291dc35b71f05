"""Where a number comes from: ``python -m resilience.provenance.explain --number -9.33`` (``make explain NUMBER=``).

For a number as the report prints it, finds the results tables (CSV under results/) holding it -
a cell matches when its value rounded to the printed decimals is the printed number - and for each
such file prints the rule that wrote it, the configuration values that rule was given, and the
chain of inputs back to the raw files data/raw/<dataset>/<file>, each with its URL and sha256
from its manifest.json and the sha256 of the bytes on disk now (so a changed raw file shows).
``--file results/tables/x.csv`` explains one file without a number.

The chain is what Snakemake recorded when it ran each job (its metadata under
.snakemake/metadata: rule, input files, params), i.e. what actually produced the bytes in this
working directory. Snakemake records params without their names, so each recorded value is named
by the configuration key whose value it equals (``years``, ``models[main_twfe]``, ...); the code
fingerprint param is named as such.
"""

from __future__ import annotations

import argparse
import ast
import base64
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
import yaml

from resilience.provenance.lineage import raw_dataset
from resilience.sources.fetch import sha256_file

RESULTS_TABLES = "results/tables"
METADATA_DIR = ".snakemake/metadata"
MAX_HITS_SHOWN = 5
REPO = Path(__file__).resolve().parents[3]


# ------------------------------------------------------------------ matching a printed number


def parse_printed(text: str) -> tuple[Decimal, int]:
    """(value, decimals) of a number as printed: '-9.33' -> (-9.33, 2), '1,234' -> (1234, 0), '52%' -> (52, 0)."""
    cleaned = str(text).strip().replace(",", "").replace("\u2212", "-").rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    exponent = value.as_tuple().exponent
    return value, max(0, -int(exponent))


def rounds_to(cell, value: Decimal, decimals: int) -> bool:
    """True when ``cell`` (a number) printed with ``decimals`` decimals reads ``value`` ('-0.0' == '0.0')."""
    if isinstance(cell, bool) or not isinstance(cell, (int, float)) or math.isnan(cell) or math.isinf(cell):
        return False
    printed = Decimal(f"{float(cell):.{decimals}f}")
    return printed == value  # Decimal('-0.0') == Decimal('0.0')


@dataclass(frozen=True)
class Hit:
    file: str          # relative to the working directory
    row: int           # 1-based data row (the CSV header is row 0)
    column: str
    cell: float
    key: str           # the row's text cells, e.g. "iso3=CHN, episode=gfc, phase=resistance"


def find_number(workdir, text: str) -> list[Hit]:
    """Every numeric cell of every CSV under results/tables that prints as ``text``."""
    value, decimals = parse_printed(text)
    workdir = Path(workdir)
    hits = []
    for path in sorted((workdir / RESULTS_TABLES).glob("*.csv")):
        frame = _read_table(path)
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
        text_columns = [c for c in frame.columns if c not in numeric]
        for column in numeric:
            for row, cell in frame[column].items():
                if rounds_to(cell, value, decimals):
                    key = ", ".join(f"{c}={frame.at[row, c]}" for c in text_columns[:4]
                                    if str(frame.at[row, c]) not in ("", "nan"))
                    hits.append(Hit(path.relative_to(workdir).as_posix(), int(row) + 1, str(column), float(cell), key))
    return hits


def _read_table(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return pd.DataFrame()


# ------------------------------------------------------------------ Snakemake's records


def metadata_path(workdir, output: str, max_len: int = 255) -> Path:
    """Where Snakemake 9 keeps the record of ``output`` (persistence/file.py ``_record_path``):
    the url-safe base64 of the path, cut into pieces of max_len - 1 characters, all but the last
    prefixed with '@' (nested folders)."""
    encoded = base64.urlsafe_b64encode(str(output).encode()).decode()
    parts = [encoded[i:i + max_len - 1] for i in range(0, len(encoded), max_len - 1)]
    parts = ["@" + p for p in parts[:-1]] + [parts[-1]]
    return Path(workdir, METADATA_DIR, *parts)


def read_record(workdir, output: str) -> dict | None:
    """Snakemake's record of the job that wrote ``output``, or None when there is none (or it is unreadable)."""
    workdir = Path(workdir)
    try:
        max_len = os.pathconf(workdir / METADATA_DIR, "PC_NAME_MAX") or 255
    except (OSError, ValueError):
        max_len = 255
    path = metadata_path(workdir, output, max_len)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and "rule" in record else None


# ------------------------------------------------------------------ naming params by config keys


def config_index(config: dict) -> dict[str, str]:
    """repr(value) -> the config key holding it, for every node of the config (shortest key wins).

    Lists of mappings with a 'name' are keyed by name (``models[main_twfe]``), other list items by
    position (``episodes[0]`` only when unnamed)."""
    index: dict[str, str] = {}

    def visit(node, key: str) -> None:
        if key:
            text = repr(node)
            if text not in index or len(key) < len(index[text]):
                index[text] = key
        if isinstance(node, dict):
            for k, v in node.items():
                visit(v, f"{key}.{k}" if key else str(k))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                name = item.get("name") if isinstance(item, dict) else None
                visit(item, f"{key}[{name if name is not None else i}]")

    visit(config, "")
    return index


FINGERPRINT = re.compile(r"^'[0-9a-f]{16}'$")


def name_params(params: list, index: dict[str, str], code: str | None = None) -> list[tuple[str, str]]:
    """(name, value) for each recorded param: the config key whose value it is, the package's code
    fingerprint (a 16-hex-digit string; compared with ``code``, the fingerprint now), else 'param'."""
    named = []
    for value in params or []:
        text = str(value)
        parts = _config_parts(text, index)
        if text in index:
            named.append((f"config: {index[text]}", text))
        elif parts:
            named += parts
        elif FINGERPRINT.match(text):
            now = "" if code is None else (" = the code now" if text == repr(code)
                                           else f"; the code changed since (now {code})")
            named.append((f"code fingerprint (the rule's script and the package modules it imports){now}", text))
        else:
            named.append(("param", text))
    return sorted(named)


def _config_parts(text: str, index: dict[str, str]) -> list[tuple[str, str]]:
    """A param assembled from several config slices (e.g. the country panel's settings: its measures,
    models, figures, design): each slice named by its config key ([] if the text is no such mapping)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return []
    if not isinstance(value, dict):
        return []
    named = [(f"config: {index[repr(v)]}", repr(v)) for v in value.values() if repr(v) in index]
    return named


# ------------------------------------------------------------------ the chain back to raw files


@dataclass
class Step:
    file: str
    rule: str | None
    inputs: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    depth: int = 0
    script: str | None = None


def chain(workdir, output: str) -> tuple[list[Step], list[str]]:
    """(the jobs from ``output`` back to the raw layer, depth-first, each file once; the raw datasets
    reached, sorted). A file without a record (not made by this run) ends its branch."""
    steps, datasets, seen = [], set(), set()

    def walk(path: str, depth: int) -> None:
        dataset = raw_dataset(path)
        if dataset is not None:
            datasets.add(dataset)
            return
        if path in seen:
            return
        seen.add(path)
        record = read_record(workdir, path)
        if record is None:
            steps.append(Step(path, None, depth=depth))
            return
        inputs = [str(i) for i in record.get("input") or []]
        script = re.search(r"scripts/([\w.]+\.py)", str(record.get("code") or ""))
        steps.append(Step(path, record["rule"], inputs, record.get("params") or [], depth,
                          script.group(1) if script else None))
        for item in inputs:
            walk(item, depth + 1)

    walk(str(output), 0)
    return steps, sorted(datasets)


def raw_files(workdir, dataset: str) -> dict:
    """The manifest of ``data/raw/<dataset>`` and the sha256 of its file on disk now."""
    folder = Path(workdir, "data", "raw", dataset)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {"dataset": dataset, "status": "no manifest", "message": f"{folder / 'manifest.json'}: {exc}"}
    info = {"dataset": dataset, "status": manifest.get("status", ""), "file": manifest.get("file") or "",
            "sha256": manifest.get("sha256") or "", "url": manifest.get("url") or "",
            "mode": manifest.get("mode", ""), "mirror_path": manifest.get("mirror_path") or "",
            "retrieved_at": manifest.get("retrieved_at", ""), "message": manifest.get("message") or ""}
    if info["status"] == "ok" and info["file"]:
        path = folder / info["file"]
        info["sha256_now"] = sha256_file(path) if path.is_file() else "missing"
    return info


# ------------------------------------------------------------------ the printed explanation


def explain_file(workdir, output: str, index: dict[str, str], code=None) -> str:
    """``code``: the code fingerprint now, or a function of the rule's script name giving it."""
    steps, datasets = chain(workdir, output)
    lines = []
    if steps and steps[0].rule is None:
        lines.append(f"{output}: no Snakemake record in {Path(workdir, METADATA_DIR)} "
                     "(not written by a run in this directory)")
        return "\n".join(lines)
    top = steps[0]
    lines.append(f"{output}")
    lines.append(f"  written by rule '{top.rule}' ({rule_file(REPO, top.rule)}) with:")
    now = code(top.script) if callable(code) else code
    lines += [f"    {name} = {_short(value)}" for name, value in name_params(top.params, index, now)]
    lines.append("  chain of inputs (rule <- inputs):")
    for step in steps:
        pad = "    " + "  " * step.depth
        if step.rule is None:
            lines.append(f"{pad}{step.file}  (no record: not made by this run)")
        else:
            raws = sorted({raw_dataset(i) for i in step.inputs if raw_dataset(i)})
            extra = f"  <- raw: {', '.join(raws)}" if raws else ""
            lines.append(f"{pad}{step.file}  [rule {step.rule}]{extra}")
    lines.append("  raw files (data/raw/<dataset>/<file>, from manifest.json):")
    for dataset in datasets:
        info = raw_files(workdir, dataset)
        if info["status"] != "ok":
            lines.append(f"    {dataset}: {info['status']} - {info.get('message', '')}")
            continue
        check = ("sha256 verified" if info["sha256_now"] == info["sha256"]
                 else f"CHANGED since download: sha256 now {info['sha256_now']}")
        lines.append(f"    data/raw/{dataset}/{info['file']}")
        lines.append(f"      sha256 {info['sha256']} ({check})")
        lines.append(f"      url {info['url']}; {info['mode']}"
                     + (f" {info['mirror_path']}" if info["mirror_path"] else "") + f"; {info['retrieved_at']}")
    return "\n".join(lines)


def explain_number(workdir, text: str, index: dict[str, str], code: str | None = None,
                   only_file: str | None = None) -> tuple[str, int]:
    """(the explanation, number of results files holding the number)."""
    hits = [h for h in find_number(workdir, text) if only_file is None or h.file == only_file]
    if not hits:
        where = only_file or f"{RESULTS_TABLES}/*.csv"
        return (f"{text}: not found in {where} (a number is matched when a cell rounded to the printed "
                f"decimals equals it; numbers computed in the report's text, such as shares, are not in a table)"), 0
    by_file: dict[str, list[Hit]] = {}
    for hit in hits:
        by_file.setdefault(hit.file, []).append(hit)
    blocks = [f"{text} is printed from {len(hits)} cell(s) in {len(by_file)} results file(s):"]
    for file, file_hits in by_file.items():
        blocks.append("")
        blocks.append(f"== {file}")
        for hit in file_hits[:MAX_HITS_SHOWN]:
            blocks.append(f"  row {hit.row}, column '{hit.column}' = {hit.cell!r}" + (f"  ({hit.key})" if hit.key else ""))
        if len(file_hits) > MAX_HITS_SHOWN:
            blocks.append(f"  ... and {len(file_hits) - MAX_HITS_SHOWN} more cell(s)")
        blocks.append(explain_file(workdir, file, index, code))
    return "\n".join(blocks), len(by_file)


def rule_file(repo, rule: str) -> str:
    """The workflow file that defines ``rule`` (relative to the repository), or 'workflow/rules/*.smk'."""
    repo = Path(repo)
    pattern = re.compile(rf"^(rule|checkpoint)\s+{re.escape(rule)}\s*:", re.MULTILINE)
    for path in [repo / "Snakefile", *sorted((repo / "workflow" / "rules").glob("*.smk"))]:
        if path.is_file() and pattern.search(path.read_text(encoding="utf-8")):
            return path.relative_to(repo).as_posix()
    return "workflow/rules/*.smk"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _code_fingerprint(repo: Path):
    """A function of a rule's script name giving its code fingerprint now, as the workflow computes it
    (the whole package for a rule without a script); None where it cannot be computed."""
    from resilience.provenance.fingerprint import script_fingerprint, source_fingerprint
    package = repo / "src" / "resilience"

    def now(script: str | None) -> str | None:
        try:
            if script is None:
                return source_fingerprint(package)
            return script_fingerprint(repo / "workflow" / "scripts" / script, package)
        except Exception:  # noqa: BLE001 - naming one param is a convenience, never a reason to fail
            return None

    return now


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m resilience.provenance.explain", description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", help="a number as the report prints it, e.g. -9.33")
    parser.add_argument("--file", help="a results file, e.g. results/tables/countries_martin.csv")
    parser.add_argument("--workdir", default=".", help="the run's working directory (default: .)")
    parser.add_argument("--config", help="the config the run used (default: <repo>/config/config.yaml)")
    args = parser.parse_args(argv)
    if not args.number and not args.file:
        parser.error("give --number (NUMBER=) or --file (FILE=)")
    workdir = Path(args.workdir)
    config_path = Path(args.config) if args.config else REPO / "config" / "config.yaml"
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        print(f"explain: cannot read the config {config_path}: {exc}", file=sys.stderr)
        return 2
    index, code = config_index(config), _code_fingerprint(REPO)
    if not (workdir / METADATA_DIR).is_dir():
        print(f"explain: {workdir / METADATA_DIR} does not exist: run the workflow in {workdir.resolve()} first",
              file=sys.stderr)
        return 2
    try:
        if args.number:
            text, found = explain_number(workdir, args.number, index, code, args.file)
        else:
            if not (workdir / args.file).is_file():
                print(f"explain: {args.file}: no such file in {workdir.resolve()}", file=sys.stderr)
                return 2
            text, found = explain_file(workdir, args.file, index, code), 1
    except ValueError as exc:
        print(f"explain: {exc}", file=sys.stderr)
        return 2
    print(text)
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
