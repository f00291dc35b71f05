"""Regression tests for bugs found in review (each failed before its fix)."""
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resilience.io import read_csv, write_csv
from resilience.panels.countries.build import combine_unmatched, build_panel, coverage
from resilience.model_runs import episode_outcomes, run_cross_section
from resilience.report.build import _martin_sentences
from resilience.catalog import read_catalog, parse_options
from resilience.errors import ConfigError
from resilience.config import load_yaml, validate_schema, check_config
ROOT = Path(__file__).resolve().parents[1]

def test_unmatched_blank_code_stays_blank(tmp_path):
    p = tmp_path / "x.unmatched.csv"
    write_csv(pd.DataFrame({"source": ["itu_internet"], "country_code": [""], "country_name": ["Ascension"], "reason": ["r"]}), p)
    out = combine_unmatched([read_csv(p)])
    assert out["country_code"].tolist() == [""]          # actual: ['nan']

def test_martin_share_over_economies_with_index():
    m = pd.DataFrame({"iso3": ["A", "B", "C", "D"], "episode": "gfc", "phase": "resistance", "g_unit": 0.0,
                      "g_ref": -5.0, "index_ratio": 0.0, "index_pp": [1.0, 2.0, -1.0, np.nan]})
    ep = {"name": "gfc", "label": "GFC", "contraction": [2008, 2009], "recovery": [2009, 2011]}
    line = _martin_sentences(m, [ep], "CHN")[0]
    assert "67% of the 3 economies" in line               # actual: '50% of the 3 economies'

def test_episode_outcomes_keeps_all_nan_outcome():
    m = pd.DataFrame({"unit": ["A", "A"], "episode": "gfc", "phase": ["resistance", "recovery"],
                      "index_pp": [1.0, 2.0], "index_ratio": [0.1, np.nan]})
    loss = pd.DataFrame({"unit": ["A"], "episode": "gfc", "cumulative_loss": [1.0], "years_below_peak": [1]})
    out = episode_outcomes(m, loss)                                # actual: recovery_ratio column dropped
    # hand-built: one row for (A, gfc), the Martin values by phase, the loss columns renamed and as floats
    assert list(out.columns) == ["unit", "episode", "resistance_pp", "resistance_ratio", "recovery_pp",
                                 "recovery_ratio", "cum_loss", "years_below_peak"]
    row = out.iloc[0]
    assert len(out) == 1 and (row["unit"], row["episode"]) == ("A", "gfc")
    assert [row["resistance_pp"], row["resistance_ratio"], row["recovery_pp"]] == [1.0, 0.1, 2.0]
    assert math.isnan(row["recovery_ratio"]) and out["recovery_ratio"].dtype == "float64"
    assert [row["cum_loss"], row["years_below_peak"]] == [1.0, 1.0]

def test_coverage_with_source_outside_years():
    t = {"ds": pd.DataFrame({"iso3": ["AAA", "BBB"], "entity": "economy", "year": [2000, 1990], "series": ["X", "Y"],
                             "value": [1.0, 3.0], "source": "ds", "vintage": "v", "flags": ""})}
    m = {"ds": {"status": "ok", "mode": "live", "file": "f", "sha256": "s", "url": "u"}}
    cfg = {"x": {"label": "X", "sources": [{"dataset": "ds", "code": "X"}]},
           "y": {"label": "Y", "sources": [{"dataset": "ds", "code": "Y"}]}}
    panel, prov = build_panel(t, m, cfg, {"start": 2000, "end": 2001})
    table = coverage(panel, prov)                           # actual: ValueError NaN -> int
    # Y's only value (1990) lies outside 2000-2001: y is 'no data' in the provenance and has no panel
    # column, so coverage lists x alone: AAA in 2000 only, so 1 of the 2 cells (AAA 2000, 2001) missing
    assert prov.set_index("series").loc["y", "status"] == "no data"
    assert "y" not in panel.columns
    assert table.to_dict("records") == [{"series": "x", "dataset": "ds", "vintage": "v", "n_economies": 1,
                                         "first_year": 2000, "last_year": 2000, "share_missing": 0.5,
                                         "n_flagged": 0}]

def test_catalog_duplicate_names_line(tmp_path):
    t = pd.read_csv(ROOT / "config/sources.csv", dtype=str, keep_default_na=False)
    t.loc[2, "dataset"] = t.loc[0, "dataset"]
    t.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(ConfigError, match="line 4"):
        read_catalog(tmp_path / "s.csv")

def test_catalog_line_numbers_with_blank_line(tmp_path):
    lines = (ROOT / "config/sources.csv").read_text().splitlines()
    lines.insert(2, "")                                    # blank line 3
    lines[4] = lines[4].replace(",wb_api,", ",ftp,", 1)    # wdi_country_meta now on line 5
    (tmp_path / "s.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ConfigError, match="line 5 "):
        read_catalog(tmp_path / "s.csv")                   # actual: 'line 4'

def test_parse_options_malformed_is_config_error():
    with pytest.raises(ConfigError):
        parse_options({"parse_options": "block_title"})   # actual: ValueError (unpack)

def test_model_unknown_episode_is_config_error():
    c = load_yaml(ROOT / "config/config.yaml")
    next(m for m in c["models"] if m["name"] == "cross_section")["episodes"] = ["gfx"]
    validate_schema(c, load_yaml(ROOT / "config/schema.yaml"))
    with pytest.raises(ConfigError):
        check_config(c, root=ROOT)                         # actual: accepted

def test_run_cross_section_with_unknown_episode_fits_nothing():
    entry = {"name": "cs", "kind": "cross_section", "label": "", "cov": "HC1", "dependents": ["resistance_pp"],
             "regressors": ["digital_z"], "episodes": ["gfx"]}
    m = pd.DataFrame(columns=["unit", "episode", "phase", "index_pp", "index_ratio"])
    loss = pd.DataFrame(columns=["unit", "episode", "cumulative_loss", "years_below_peak"])
    e = pd.DataFrame(columns=["unit", "episode", "variable", "value"])
    with pytest.raises(ConfigError, match="none of its episodes"):
        run_cross_section(m, loss, e, [{"name": "gfc"}], entry)
