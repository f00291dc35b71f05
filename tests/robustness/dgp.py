"""Synthetic panels with a known data-generating process, on the generic layout."""

from __future__ import annotations

import numpy as np
import pandas as pd

GFC = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011], "exposure_year": 2007}
COVID = {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022], "exposure_year": 2019}


def simulate(n_units: int, years, seed: int, effect=None, *, n_groups: int = 10, noise: float = 1.0,
             exposures=("digital",)):
    """(growth, exposures, z) with g_it = a_i + d_t + sum_v effect(year) * x_iv + e_it.

    ``effect(year)`` gives the planted coefficient on each (raw, roughly N(0, 1)) exposure in a year.
    """
    rng = np.random.default_rng(seed)
    units = [f"u{i:03d}" for i in range(n_units)]
    x = pd.DataFrame(rng.normal(size=(n_units, len(exposures))), index=units, columns=list(exposures))
    a = pd.Series(rng.normal(scale=2, size=n_units), index=units)
    years = list(years)
    d = pd.Series(rng.normal(scale=2, size=len(years)), index=years)
    rows = pd.DataFrame([(u, t) for u in units for t in years], columns=["unit", "year"])
    g = a.reindex(rows["unit"]).to_numpy() + d.reindex(rows["year"]).to_numpy()
    g = g + noise * rng.normal(size=len(rows))
    if effect is not None:
        beta = np.array([effect(t) for t in rows["year"]])
        g = g + beta * x.reindex(rows["unit"]).sum(axis=1).to_numpy()
    rows["group"] = [f"g{int(u[1:]) % n_groups}" for u in rows["unit"]]
    rows["growth"] = g
    long = x.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="variable", value_name="value")
    return rows, long.assign(episode="gfc")[["unit", "episode", "variable", "value"]], x


def zscore(x: pd.Series) -> pd.Series:
    return (x - x.mean()) / x.std(ddof=1)
