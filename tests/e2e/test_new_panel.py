"""A fourth panel added by following only the README's "Extending" steps, run end to end.

The steps touch four places, and this test makes exactly those additions in a copy of the checkout:
the panel's folder (``src/resilience/panels/toy/``), its rule file (``workflow/rules/panel_toy.smk``:
the rule that builds ``data/processed/toy_panel.parquet`` from the raw file), its config block
(``panels.toy``) and its source-catalog row (``config/sources.csv``). The raw file is a made-up
prefecture table in the generic long layout, served from a synthetic mirror; the panel needs no
measure, model or figure code of its own, so the stages every panel runs do the rest.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from e2e_helpers import copy_checkout

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

UNITS = [f"P{i:02d}" for i in range(12)]
YEARS = range(2000, 2013)

PANEL_MODULE = '''"""Toy prefectures: a made-up panel in the generic long layout."""

import pandas as pd

from resilience.panels.base import Panel


class ToyPanel(Panel):
    id = "toy"
    label = "Toy prefectures"


def build(raw_file) -> pd.DataFrame:
    """The publisher's table is already unit, group (the prefecture's region), year, series, value."""
    return pd.read_csv(raw_file, dtype={"unit": str, "group": str})


PANEL = ToyPanel()
'''

RULE_FILE = '''
rule toy_panel:
    message:
        "Assembling the toy prefecture panel"
    input:
        raw="data/raw/toy_prefectures",
    output:
        panel="data/processed/toy_panel.parquet",
    params:
        code=CODE,
    log:
        "logs/panels/toy_panel.log",
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    run:
        from resilience.io import write_parquet
        from resilience.panels.toy.panel import build

        write_parquet(build(Path(input.raw) / "prefectures.csv"), output.panel)
'''

CONFIG_BLOCK = {
    "episodes": ["gfc"],
    "measures": {"outcome": "mfg", "benchmark": "units_sum", "exposures": ["digital", "lq"], "exposure_max_back": 2},
    "models": [{"name": "toy_mfg", "kind": "panel", "label": "Toy manufacturing growth on shock x exposures",
                "dependent": "g_mfg", "exposures": ["digital", "lq"], "phases": ["contraction", "recovery"],
                "effects": ["entity", "time"], "cov": "clustered"}],
    "design": {"fixed_effects": ["unit", "year"], "bootstrap_cluster": "unit", "standardize": True},
    "bootstrap": {"reps": 99, "weights": "webb", "seed": 7},
    "figures": {"outcome": "mfg", "cluster_exposure": "lq", "digital_exposure": "digital"},
}
CATALOG_ROW = ("toy_prefectures,Toy statistics office,Toy prefecture panel,none,,,,toy/prefectures.csv,toy_csv,"
               "none,,,CC0 (made up for a test)")


def level(i: int, year: int) -> float:
    """Manufacturing of prefecture i: 2 % trend; in 2009 a fall of 10 % less 2 points per unit of its
    digital exposure d_i = i / 4, recovered in 2010-2011."""
    base = 100.0 + 10 * i
    value = base * 1.02 ** (year - 2000)
    if year >= 2009:
        value *= 1 - (10 - 2 * (i / 4)) / 100
    if year >= 2010:
        value *= 1.03
    return round(value, 6)


def toy_table() -> pd.DataFrame:
    rows = []
    for i, unit in enumerate(UNITS):
        region = f"R{i % 3}"
        for year in YEARS:
            rows.append((unit, region, year, "mfg", level(i, year)))
        rows.append((unit, region, 2007, "digital", i / 4))
        rows.append((unit, region, 2006, "lq", 0.5 + ((i * 7) % 12) / 10))   # two years back: allowed
    return pd.DataFrame(rows, columns=["unit", "group", "year", "series", "value"])


def write_mirror(root: Path) -> Path:
    folder = root / "toy"
    folder.mkdir(parents=True)
    data = folder / "prefectures.csv"
    toy_table().to_csv(data, index=False)
    payload = data.read_bytes()
    with (folder / "SOURCES.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "bytes", "sha256", "publisher", "publisher_url", "vintage", "covers"])
        writer.writerow(["prefectures.csv", len(payload), hashlib.sha256(payload).hexdigest(), "Toy statistics office",
                         "https://example.org/toy", "2026-12", "12 prefectures, 2000-2012"])
    return root


def add_toy_panel(checkout: Path) -> None:
    """The README's four steps, nothing else."""
    folder = checkout / "src" / "resilience" / "panels" / "toy"
    folder.mkdir()
    (folder / "__init__.py").write_text('"""Toy prefectures."""\n', encoding="utf-8")
    (folder / "panel.py").write_text(PANEL_MODULE, encoding="utf-8")
    (checkout / "workflow" / "rules" / "panel_toy.smk").write_text(RULE_FILE, encoding="utf-8")
    config_path = checkout / "config" / "config.yaml"
    block = yaml.safe_dump({"panels": {"toy": CONFIG_BLOCK}}, sort_keys=False, indent=2)
    text = config_path.read_text(encoding="utf-8")
    assert text.count("\npanels:\n") == 1
    config_path.write_text(text.replace("\npanels:\n", "\n" + block, 1), encoding="utf-8")
    with (checkout / "config" / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write(CATALOG_ROW + "\n")


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
    checkout = copy_checkout(tmp_path_factory.mktemp("checkout"))
    add_toy_panel(checkout)
    mirror = write_mirror(tmp_path_factory.mktemp("toy-mirror"))
    targets = ["results/tables/toy_martin.csv", "results/tables/toy_martin_summary.csv",
               "results/tables/toy_exposures.csv", "results/tables/toy_models.csv",
               "results/figures/toy_resistance_by_cluster.png", "results/figures/toy_resistance_by_digital.png"]
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(checkout / "Snakefile"), "--directory",
                           str(checkout), "--cores", "1", *targets, "--config", f"raw_mirror={mirror}"],
                          capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        pytest.fail(f"the toy panel's stages failed:\n{proc.stderr[-4000:]}")
    return checkout


def test_the_four_steps_touch_only_the_panel_folder_rule_file_config_block_and_catalog(tmp_path):
    checkout = copy_checkout(tmp_path / "checkout")
    before = {p.relative_to(checkout): p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    add_toy_panel(checkout)
    after = {p.relative_to(checkout): p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    changed = {str(p) for p in after if before.get(p) != after[p]}
    assert changed == {"src/resilience/panels/toy/__init__.py", "src/resilience/panels/toy/panel.py",
                       "workflow/rules/panel_toy.smk", "config/config.yaml", "config/sources.csv"}


def test_the_toy_panel_runs_the_stages_every_panel_runs(toy_run):
    martin = pd.read_csv(toy_run / "results" / "tables" / "toy_martin.csv", dtype={"unit": str})
    resistance = martin[(martin["phase"] == "resistance") & (martin["episode"] == "gfc")].set_index("unit")
    assert sorted(resistance.index) == UNITS
    # P05 (group R2) against the sum over R2's prefectures P02, P05, P08, P11, 2008 -> 2009
    own = [i for i in range(12) if i % 3 == 2]
    g_unit = 100 * (level(5, 2009) / level(5, 2008) - 1)
    g_ref = 100 * (sum(level(i, 2009) for i in own) / sum(level(i, 2008) for i in own) - 1)
    assert resistance.loc["P05", "index_pp"] == pytest.approx(g_unit - g_ref, abs=1e-9)
    assert resistance.loc["P05", "group"] == "R2"
    summary = pd.read_csv(toy_run / "results" / "tables" / "toy_martin_summary.csv")
    assert (summary["units"] == 12).all() and (summary["groups"] == 3).all()
    exposures = pd.read_csv(toy_run / "results" / "tables" / "toy_exposures.csv", dtype={"unit": str})
    lq = exposures[exposures["variable"] == "lq"].set_index("unit")
    assert lq.loc["P03", "value"] == pytest.approx(0.5 + 0.9) and lq.loc["P03", "year_used"] == 2006


def test_the_toy_panel_model_recovers_the_planted_digital_effect(toy_run):
    models = pd.read_csv(toy_run / "results" / "tables" / "toy_models.csv")
    row = models[models["term"] == "contraction_gfc_x_digital"].iloc[0]
    # Growth differs across prefectures only in 2009 (trend and 2010 rebound are common: year
    # effects), so with unit and year effects the contraction slopes are those of the cross-section
    # of 2009 log growth on the two exposures; per SD (ddof 1) as the design standardizes.
    table = toy_table()
    digital = table[table["series"] == "digital"].set_index("unit")["value"].reindex(UNITS)
    lq = table[table["series"] == "lq"].set_index("unit")["value"].reindex(UNITS)
    growth = [100 * math.log(level(i, 2009) / level(i, 2008)) for i in range(12)]
    x = np.column_stack([np.ones(12), (digital - digital.mean()) / digital.std(), (lq - lq.mean()) / lq.std()])
    expected = np.linalg.lstsq(x, np.array(growth), rcond=None)[0][1]
    assert row["coef"] == pytest.approx(expected, abs=1e-4) and row["coef"] > 1.5 and row["p"] < 0.001
    assert row["n_clusters"] == 12 and not math.isnan(row["p_boot"])
    for name in ("resistance_by_cluster", "resistance_by_digital"):
        assert (toy_run / "results" / "figures" / f"toy_{name}.png").stat().st_size > 0
