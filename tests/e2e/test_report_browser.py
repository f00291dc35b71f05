"""End-to-end: the Snakemake report (`snakemake --report`, what `make report-html` runs) of a run on the
synthetic mirror, opened in a real headless browser (Debian's chromium), and the generated
results/REPLICATION.md checked against the workflow's DAG.

The browser part drives the report's own UI by clicking, as a reader would (report_browser_driver.js,
appended to a copy of the report): every category and subcategory, every result's view and info
buttons. It then asserts that every figure under results/figures/ is displayed as an image whose bytes
are the PNG file's and whose decoded size is the PNG's, that every table under results/tables/ is
offered with its file name, that every result shows a caption, and that a screenshot of a displayed
figure holds the figure's line colours (and a screenshot without it does not). Without chromium the
browser tests skip, saying why; CI installs it.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import signal
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from e2e_helpers import dag_summary, run_snakemake

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install -y chromium); CI installs it")
WINDOW = (1400, 900)
# Outside results/, so the shared run's results tree (checked against its manifest) stays as the run left it.
REPORT = "report-check/snakemake_report.html"
SHOWN_FIGURE = "results/figures/peer_paths.png"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FLAG_IT = "flag the output with report(...) in its rule, with a caption (workflow/report/README.md)"


# config, config_file and run: the session-wide synthetic run (tests/e2e/conftest.py).


@pytest.fixture(scope="module")
def report(run, config_file):
    """The report built in the run's directory, as `make report-html` builds it."""
    (run.workdir / REPORT).parent.mkdir(parents=True, exist_ok=True)
    built = run_snakemake(run.workdir, config_file, "--report", REPORT)
    assert built.returncode == 0, built.tail()
    print(f"\nsnakemake --report: {built.seconds:.1f} s")
    return run.workdir / REPORT


@pytest.fixture(scope="module")
def figures(run) -> list[Path]:
    found = sorted((run.workdir / "results" / "figures").glob("*.png"))
    assert found, "the run wrote no figures"
    return found


@pytest.fixture(scope="module")
def tables(run) -> list[Path]:
    return sorted((run.workdir / "results" / "tables").glob("*.csv"))


def relative(path: Path, run) -> str:
    return path.relative_to(run.workdir).as_posix()


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def driven(report, tmp_path_factory) -> Path:
    """A copy of the report with the UI driver appended before </body>."""
    text = report.read_text(encoding="utf-8")
    cut = text.rindex("</body>")
    driver = (HERE / "report_browser_driver.js").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("driven") / "report.html"
    path.write_text(text[:cut] + "<script>\n" + driver + "\n</script>\n" + text[cut:], encoding="utf-8")
    return path


# A chromium process that has printed nothing after this long has hung: with --virtual-time-budget,
# headless chromium now and then never lets virtual time run out (the budget races the page load; seen
# here once in about a dozen runs, idle at 0% CPU for minutes, where a run takes seconds). Such a process
# is ended and started once more on a fresh profile; the checks on what a finished one wrote are never
# repeated.
BROWSER_HANG_S = 300


def chromium(page: Path, *args: str, fragment: str = "", profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium on a local page, with all name resolution refused (a self-contained report
    needs none) and a virtual-time budget long enough for the driver's clicks to finish."""
    def command(folder: Path) -> list[str]:
        return [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", f"--window-size={WINDOW[0]},{WINDOW[1]}", "--virtual-time-budget=60000",
                "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={folder}", *args, page.as_uri() + fragment]

    for folder in (profile, profile.with_name(f"{profile.name}-again")):
        # its own session, so a hung browser's whole process tree can be ended
        proc = subprocess.Popen(command(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=BROWSER_HANG_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            print(f"\nchromium hung for {BROWSER_HANG_S} s on {page.name}{fragment}: ended it")
            continue
        result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        assert result.returncode == 0, f"{' '.join(proc.args)}\nexit {result.returncode}\n{result.stderr[-3000:]}"
        return result
    pytest.fail(f"chromium hung twice, {BROWSER_HANG_S} s each: {' '.join(command(profile))}")


def tour_record(dom: str) -> dict:
    match = re.search(r'<pre id="report-tour"[^>]*>(.*?)</pre>', dom, re.S)
    assert match, "the driver left no record in the DOM (the report's app did not render?)"
    record = json.loads(html.unescape(match.group(1)))
    assert "error" not in record, record.get("error")
    return record


@pytest.fixture(scope="module")
def tour(driven, tmp_path_factory) -> dict:
    started = time.monotonic()
    result = chromium(driven, "--dump-dom", profile=tmp_path_factory.mktemp("chromium-profile"))
    print(f"\nchromium --dump-dom tour: {time.monotonic() - started:.1f} s")
    return tour_record(result.stdout)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def data_uri_bytes(uri: str) -> bytes:
    head, _, payload = uri.partition(",")
    assert head.startswith("data:image/png") and head.endswith(";base64"), head[:80]
    return base64.b64decode(payload)


def test_report_is_one_self_contained_html_file(report, figures, run):
    text = report.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    external = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"'](?:https?:)?//[^\"']*", text)
    assert not external, f"the report loads resources from the network: {external[:5]}"
    # every figure is embedded byte for byte
    absent = [relative(p, run) for p in figures if base64.b64encode(p.read_bytes()).decode() not in text]
    assert not absent, f"figures not embedded in the report: {absent}; {FLAG_IT}"


@needs_chromium
def test_every_figure_is_displayed_in_the_browser_as_its_own_png(tour, figures, run):
    shown = {path: entry for path, entry in tour["results"].items() if entry.get("img")}
    missing = [relative(p, run) for p in figures if relative(p, run) not in shown]
    assert not missing, f"figures not displayed in the report: {missing}; {FLAG_IT}"
    for path in figures:
        entry = shown[relative(path, run)]
        data = path.read_bytes()
        assert data_uri_bytes(entry["img"]["src"]) == data, relative(path, run)
        assert (entry["img"]["width"], entry["img"]["height"]) == png_size(data), \
            f"{relative(path, run)}: the browser did not decode the image"
        assert entry["category"] == "Figures", relative(path, run)


@needs_chromium
def test_every_table_is_offered_and_every_result_has_its_caption(tour, tables, run, config):
    listed = tour["results"]
    missing = [relative(p, run) for p in tables if relative(p, run) not in listed]
    assert not missing, f"tables not in the report: {missing}; {FLAG_IT}"
    for path in tables:
        entry = listed[relative(path, run)]
        assert (entry["view"], entry["download"], entry["category"]) == ("download", path.name, "Tables")
    without = sorted(path for path, entry in listed.items() if not entry["caption"])
    assert not without, f"results shown without a caption: {without}"
    unrendered = sorted(path for path, entry in listed.items() if "{{" in entry["caption"])
    assert not unrendered, f"captions with unfilled templates: {unrendered}"
    # captions are filled per job: the settings the job used, not placeholders
    peers = listed[SHOWN_FIGURE]["caption"]
    focus, base_year = config["figures"]["focus"], config["figures"]["peer_base_year"]
    assert f"of {focus} and its peers ({', '.join(config['figures']['peers'])})" in peers
    assert f"{base_year} = 100" in peers
    assert set(tour["categories"]) >= {"Figures", "Tables", "Report"}


def line_colours(rgb: np.ndarray, min_pixels: int) -> set[tuple[int, int, int]]:
    """Saturated colours (the lines and markers, not greys) covering at least ``min_pixels`` pixels."""
    pixels = rgb.reshape(-1, 3).astype(int)
    saturated = pixels[(pixels.max(axis=1) - pixels.min(axis=1)) >= 60]
    colours, counts = np.unique(saturated, axis=0, return_counts=True)
    return {tuple(int(v) for v in c) for c, n in zip(colours, counts) if n >= min_pixels}


@needs_chromium
def test_screenshot_shows_the_figure(driven, run, tmp_path):
    shot, control = tmp_path / "figure.png", tmp_path / "no-figure.png"
    chromium(driven, f"--screenshot={shot}", fragment="#show=" + SHOWN_FIGURE, profile=tmp_path / "p1")
    # the same page with a table selected instead: the figure is not displayed
    chromium(driven, f"--screenshot={control}", fragment="#show=results/tables/provenance.csv",
             profile=tmp_path / "p2")
    assert png_size(shot.read_bytes()) == WINDOW
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 500 and pixels.std() > 20, "blank screenshot"
    wanted = line_colours(np.asarray(Image.open(run.workdir / SHOWN_FIGURE).convert("RGB")), 200)
    assert len(wanted) >= 4, "the figure has too few line colours to recognise it by"
    in_shot = wanted & line_colours(pixels, 1)
    in_control = wanted & line_colours(np.asarray(Image.open(control).convert("RGB")), 1)
    assert len(in_shot) == len(wanted), f"figure colours missing from the screenshot: {sorted(wanted - in_shot)}"
    assert len(in_control) < len(wanted) / 2, "the control screenshot shows the figure's colours too"


# ------------------------------------------------------------------ results/REPLICATION.md


@pytest.fixture(scope="module")
def replication(run) -> str:
    return (run.workdir / "results" / "REPLICATION.md").read_text(encoding="utf-8")


def test_replication_readme_lists_every_exhibit_of_the_dag_with_its_rule(run, config_file, replication):
    summary = dag_summary(run.workdir, config_file)
    listed = {}
    for line in replication.split("## List of analysis files", 1)[1].split("\n## ", 1)[0].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 6 and cells[1].startswith("`results/"):
            stem = cells[1].split("`")[1].rsplit(".", 1)[0]
            listed[stem] = cells[3].strip("`")
    exhibits = summary[summary["output_file"].str.match(r"results/(figures|tables)/[^/]+\.(png|pdf|csv|md|tex)$")]
    assert len(exhibits) > 0
    for row in exhibits.itertuples():
        stem = row.output_file.rsplit(".", 1)[0]
        assert stem in listed, f"{row.output_file} (rule {row.rule}) missing from the list of exhibits"
        assert listed[stem] == row.rule, f"{row.output_file}: listed under rule {listed[stem]}, written by {row.rule}"


def test_replication_readme_states_every_catalog_dataset_and_what_the_mirror_lacks(run, replication, config):
    catalog = pd.read_csv(Path(__file__).resolve().parents[2] / config["sources"]["catalog"], dtype=str,
                          keep_default_na=False)
    statements = replication.split("## Data availability and provenance statements", 1)[1].split(
        "## Computational requirements", 1)[0]
    for row in catalog.itertuples():
        manifest = json.loads((run.workdir / "data" / "raw" / row.dataset / "manifest.json").read_text())
        line = next((s for s in statements.splitlines() if s.startswith(f"| `{row.dataset}` |")), None)
        assert line is not None, f"{row.dataset} has no data statement"
        assert f"### {row.publisher}" in statements
        if manifest["status"] == "unavailable":
            assert "| unavailable (" in line, row.dataset
        else:
            assert f"sha256 `{manifest['sha256'][:12]}`" in line, row.dataset
    for heading in ("## Overview", "## Computational requirements", "## Instructions for replicators"):
        assert heading in replication


# ------------------------------------------------------------------ results/report.html and report.pdf


@pytest.fixture(scope="module")
def report_html(run) -> Path:
    return run.workdir / "results" / "report.html"


def test_report_html_is_self_contained_and_its_font_covers_every_cjk_character(report_html):
    from fontTools.ttLib import TTFont
    import io

    text = report_html.read_text(encoding="utf-8")
    assert not re.findall(r"<img [^>]*src=\"(?!data:)", text), "report.html links an image instead of embedding it"
    assert not re.findall(r"(?:src|href)=\"https?://[^\"]*\.(?:css|js|woff2?|otf|ttf)", text)
    fonts = re.findall(r"src:url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", text)
    assert len(fonts) == 1, "report.html embeds no CJK font"
    cmap = TTFont(io.BytesIO(base64.b64decode(fonts[0]))).getBestCmap()
    body = html.unescape(re.sub(r"<[^>]+>", " ", text.split("<body>", 1)[1]))
    cjk = {ch for ch in body if ord(ch) >= 0x2E80}
    assert cjk, "the synthetic report has no Chinese text to check (the China section quotes NBS names)"
    assert not sorted(ch for ch in cjk if ord(ch) not in cmap), "CJK characters without a glyph in the embedded font"


@needs_chromium
def test_report_html_renders_chinese_in_the_embedded_font_and_every_image(report_html, tmp_path):
    page = tmp_path / "report.html"
    text = report_html.read_text(encoding="utf-8")
    cut = text.rindex("</body>")
    script = (HERE / "report_html_glyphs.js").read_text(encoding="utf-8")
    page.write_text(text[:cut] + "<script>\n" + script + "\n</script>\n" + text[cut:], encoding="utf-8")
    dom = chromium(page, "--dump-dom", profile=tmp_path / "profile").stdout
    match = re.search(r'<pre id="report-glyphs"[^>]*>(.*?)</pre>', dom, re.S)
    assert match, "the glyph check left no record"
    record = json.loads(html.unescape(match.group(1)))
    assert "error" not in record, record.get("error")
    assert record["font_status"] == "loaded"
    assert record["cjk_characters"], "no Chinese text rendered"
    assert record["missing_glyphs"] == [], f"CJK characters not drawn by the embedded font: {record['missing_glyphs']}"
    assert record["images"] and all(i["data_uri"] and i["width"] > 0 for i in record["images"]), record["images"]
    assert record["broken_links"] == [], "contents links without a target"
    shot = tmp_path / "top.png"
    chromium(page, f"--screenshot={shot}", profile=tmp_path / "profile2")
    pixels = np.asarray(Image.open(shot).convert("L"))
    assert (pixels < 128).mean() > 0.01, "the first screen of report.html is blank"


@needs_chromium
def test_snakemake_report_captions_have_no_docutils_error_markers(tour):
    broken = sorted(path for path, entry in tour["results"].items()
                    if entry.get("caption_errors") or "System Message" in entry["caption"])
    assert not broken, f"captions with reStructuredText errors (e.g. |x| read as a substitution): {broken}"


def test_report_pdf_has_the_report_s_exhibits_and_chinese_text(run):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(run.workdir / "results" / "report.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    report_md = (run.workdir / "results" / "report.md").read_text(encoding="utf-8")
    figures = re.findall(r"^\*\*Figure (\d+)\.\*\*", report_md, re.M)
    assert figures and f"Figure {figures[-1]}." in text
    assert sum(len(page.images) for page in reader.pages) == len(figures)
    assert "Abstract" in text and "References" in text
    assert any(ord(ch) >= 0x2E80 for ch in text), "no Chinese text in the PDF"
