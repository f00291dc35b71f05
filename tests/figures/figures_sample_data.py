"""Small deterministic inputs for the figure tests (also run in a subprocess by the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

PEERS = ("USA", "JPN", "DEU", "KOR", "IND", "VNM", "MEX")


def levels() -> pd.DataFrame:
    """Long [iso3, year, value] for 12 economies, 2000-2015, no randomness."""
    rows = []
    codes = ["CHN", "USA", "JPN", "DEU", "KOR", "IND", "VNM", "MEX", "BRA", "FRA", "ITA", "GBR"]
    for i, iso in enumerate(codes):
        growth = 0.01 + 0.005 * i
        for year in range(2000, 2016):
            shock = -0.04 * (i % 3) if year == 2009 else 0.0
            rows.append((iso, year, 100.0 * (1 + growth) ** (year - 2000) * (1 + shock) + i))
    return pd.DataFrame(rows, columns=["iso3", "year", "value"])


def terciles() -> pd.DataFrame:
    codes = sorted(levels()["iso3"].unique())
    return pd.DataFrame({"iso3": codes, "tercile": [1, 2, 3, "low", "mid", "high"] * 2})


def coef_table() -> pd.DataFrame:
    terms = ["contraction_gfc_x_digital_z", "recovery_gfc_x_digital_z",
             "contraction_gfc_x_lq_manuf", "log_gdppc", "const"]
    coef = np.array([0.8, -0.3, 1.2, 0.05, 3.0])
    se = np.array([0.2, 0.25, 0.5, 0.01, 1.0])
    return pd.DataFrame({
        "model": "main_twfe", "episode": "all", "term": terms, "coef": coef, "se": se,
        "t": coef / se, "p": 0.05, "ci_low": coef - 1.96 * se, "ci_high": coef + 1.96 * se,
        "nobs": 1234, "r2": 0.3, "r2_within": 0.1, "entity_effects": True,
        "time_effects": True, "cov_type": "clustered", "small_sample": True, "n_clusters": 88,
    })


def cross_section() -> pd.DataFrame:
    codes = ["CHN", "USA", "JPN", "DEU", "KOR", "IND", "BRA", "FRA", "ITA", "GBR"]
    x = np.linspace(-1.5, 1.5, len(codes))
    return pd.DataFrame({"iso3": codes, "digital_z": x,
                         "resistance_pp": 0.5 * x - 0.2 + 0.1 * np.cos(5 * x)})


def build_all() -> dict:
    from resilience.figures.coefplot import coefficient_plot
    from resilience.figures.peers import peer_paths
    from resilience.figures.scatter import resistance_scatter
    from resilience.figures.shock_paths import output_index_by_tercile

    episode = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]}
    return {
        "shock": output_index_by_tercile(levels(), terciles(), episode, median=True),
        "coef": coefficient_plot(coef_table(), "main_twfe"),
        "scatter": resistance_scatter(cross_section(), "digital_z", "resistance_pp", title="GFC"),
        "peers": peer_paths(levels(), "CHN", PEERS, 2007),
    }


def render_all(outdir) -> None:
    from resilience.figures.common import save_figure

    outdir = Path(outdir)
    for name, fig in build_all().items():
        save_figure(fig, outdir / f"{name}.png", outdir / f"{name}.pdf")


if __name__ == "__main__":
    render_all(sys.argv[1])
