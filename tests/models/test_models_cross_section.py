"""fit_cross_section: HC1 equals statsmodels' own HC1 and a direct numpy computation."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from resilience.errors import InputError
from resilience.models.cross_section import fit_cross_section
from resilience.models.spec import parse_spec

SPEC = parse_spec({"name": "cross_section", "kind": "cross_section", "dependents": ["resistance_pp", "recovery_pp"],
                   "regressors": ["digital_z", "lq_manuf"], "cov": "HC1"})


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(7)
    n = 60
    data = pd.DataFrame({"digital_z": rng.normal(size=n), "lq_manuf": rng.normal(1, 0.3, size=n)},
                        index=pd.Index([f"U{i:02d}" for i in range(n)], name="unit"))
    scale = 0.5 + np.abs(data["digital_z"])             # heteroskedastic errors
    data["resistance_pp"] = 1 + 2 * data["digital_z"] - data["lq_manuf"] + scale * rng.normal(size=n)
    data["recovery_pp"] = -0.5 + 0.3 * data["digital_z"] + rng.normal(size=n)
    data.iloc[:4, data.columns.get_loc("recovery_pp")] = np.nan   # complete case per dependent
    return data


def numpy_hc1(y, x):
    x = np.column_stack([np.ones(len(x)), x])
    bread = np.linalg.inv(x.T @ x)
    b = bread @ x.T @ y
    u = y - x @ b
    n, k = x.shape
    v = n / (n - k) * bread @ (x.T * u**2) @ x @ bread
    return b, np.sqrt(np.diag(v)), n - k


def test_hc1_matches_statsmodels_and_numpy(frame):
    table = fit_cross_section(frame, SPEC, "gfc")
    assert table["model"].unique().tolist() == ["cross_section:resistance_pp", "cross_section:recovery_pp"]
    assert set(table["episode"]) == {"gfc"} and set(table["cov_type"]) == {"HC1"}
    for dependent in SPEC.dependents:
        block = table[table["model"] == f"cross_section:{dependent}"].set_index("term")
        data = frame[[dependent, "digital_z", "lq_manuf"]].dropna()
        b, se, df = numpy_hc1(data[dependent].to_numpy(), data[["digital_z", "lq_manuf"]].to_numpy())
        own = sm.OLS(data[dependent], sm.add_constant(data[["digital_z", "lq_manuf"]])).fit(cov_type="HC1")
        assert block.index.tolist() == ["const", "digital_z", "lq_manuf"]
        np.testing.assert_allclose(block["coef"], b, rtol=1e-10)
        np.testing.assert_allclose(block["se"], se, rtol=1e-10)
        np.testing.assert_allclose(block["se"], own.bse, rtol=1e-10)
        np.testing.assert_allclose(block["p"], 2 * stats.t.sf(np.abs(b / se), df), rtol=1e-10)
        assert block["nobs"].iloc[0] == len(data) and block["r2"].iloc[0] == pytest.approx(own.rsquared)
    assert table.loc[table["model"].str.endswith("recovery_pp"), "nobs"].iloc[0] == 56
    assert table["n_clusters"].isna().all() and table["r2_within"].isna().all()


def test_missing_column_is_input_error(frame):
    with pytest.raises(InputError, match="cross_section.*missing columns \\['lq_manuf'\\]"):
        fit_cross_section(frame.drop(columns="lq_manuf"), SPEC, "gfc")
