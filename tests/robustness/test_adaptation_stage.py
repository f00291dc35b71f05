import numpy as np
import pandas as pd
import pytest

from resilience.robustness.adaptation_section import adaptation_lines, coefficient_table, value
from resilience.robustness.adaptation_stage import adaptation_measures, adaptation_models
from tests.robustness.dgp import GFC, zscore

OWN = {
    "pre_offset": 0,
    "post_offset": 0,
    "share": {"label": "manufacturing share", "numerator": "manuf", "denominator": "total"},
    "diversity": None,
    "hysteresis": {"label": "output", "outcome": "g", "trend_years": 3, "years_after": [0]},
    "headline_measure": "hysteresis_k0",
    "not_measurable": {"diversity": "no sector split in this panel"},
}


def _levels(units):
    rows = []
    for i, unit in enumerate(units):
        rows += [
            (unit, 2008, "manuf", 20.0),
            (unit, 2008, "total", 100.0),
            (unit, 2011, "manuf", 20.0 + i),
            (unit, 2011, "total", 100.0),
        ]
    return pd.DataFrame(rows, columns=["unit", "year", "series", "value"])


def _growth(units, loss):
    """2% a year from 2006 to 2011 with a level loss of loss[unit] percent log points in 2009."""
    rows = [(u, t, 2.0 - (loss[u] if t == 2009 else 0.0)) for u in units for t in range(2006, 2012)]
    return pd.DataFrame(rows, columns=["unit", "year", "g"])


def test_measures_hand_computed_with_a_not_measurable_block():
    units = ["A", "B"]
    table = adaptation_measures(_growth(units, {"A": 0.0, "B": 100 * np.log(1 / 0.95)}), _levels(units), [GFC], OWN)
    share = table[table["measure"] == "share_change"].set_index("unit")
    assert share.loc["A", "value"] == pytest.approx(0.0) and share.loc["B", "value"] == pytest.approx(1.0)
    hyst = table[table["measure"] == "hysteresis_k0"].set_index("unit")
    assert hyst.loc["A", "value"] == pytest.approx(0.0, abs=1e-9)
    assert hyst.loc["B", "value"] == pytest.approx(-5.0)  # a 5% permanent loss
    assert (hyst["year_pre"] == 2008).all() and (hyst["year_post"] == 2011).all()
    diversity = table[table["measure"] == "diversity_change"]
    assert len(diversity) == 1 and diversity["status"].iloc[0] == "not measurable"
    assert diversity["note"].iloc[0] == "no sector split in this panel" and diversity["unit"].isna().all()


def test_a_series_the_panel_lacks_and_an_episode_without_data_are_not_measurable():
    own = {**OWN, "share": {"label": "x", "numerator": "absent"}}
    late = {"name": "late", "contraction": [2030, 2031], "recovery": [2031, 2032], "exposure_year": 2030}
    table = adaptation_measures(_growth(["A"], {"A": 0.0}), _levels(["A"]), [GFC, late], own)
    share = table[(table["measure"] == "share_change") & (table["episode"] == "gfc")]
    assert share["status"].tolist() == ["not measurable"] and "absent" in share["note"].iloc[0]
    late_rows = table[table["episode"] == "late"]
    assert (late_rows["status"] == "not measurable").all()
    assert (
        "no unit has g in every year 2029-2032 (the trend 2028-2030"
        in late_rows[late_rows["measure"] == "hysteresis_k0"]["note"].iloc[0]
    )


def test_each_episode_reads_its_own_hysteresis_outcome():
    units = ["A", "B"]
    loss = {"A": 0.0, "B": 100 * np.log(1 / 0.95)}
    # column g_old carries the loss; g_new is plain 2% growth (no loss) and serves the episode "late"
    growth = _growth(units, loss).rename(columns={"g": "g_old"})
    growth["g_new"] = 2.0
    late = {**GFC, "name": "late"}  # the same years, the other column
    own = {**OWN, "hysteresis": {**OWN["hysteresis"], "outcome": {"gfc": "g_old", "late": "g_new"}}}
    table = adaptation_measures(growth, _levels(units), [GFC, late], own)
    hyst = table[table["measure"] == "hysteresis_k0"].set_index(["episode", "unit"])["value"]
    assert hyst[("gfc", "B")] == pytest.approx(-5.0) and hyst[("late", "B")] == pytest.approx(0.0, abs=1e-9)


def _exposures(x: pd.DataFrame) -> pd.DataFrame:
    long = x.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="variable", value_name="value")
    return long.assign(episode="gfc")


def _measured(values: pd.Series, measure="hysteresis_k0") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "episode": "gfc",
            "measure": measure,
            "unit": values.index,
            "value": values.to_numpy(),
            "status": "measured",
            "note": "",
        }
    )


def _one_exposure_model(values: pd.Series, x: pd.DataFrame, exposure: str = "digital", **options) -> pd.DataFrame:
    """The gfc hysteresis_k0 model of ``values`` on one exposure of ``x``, no controls, no interaction."""
    return adaptation_models(
        _measured(values),
        _exposures(x),
        "gfc",
        "hysteresis_k0",
        exposure_vars=[exposure],
        controls=[],
        interact=False,
        **options,
    )


def test_model_recovers_a_planted_effect_of_the_standardised_exposure():
    rng = np.random.default_rng(3)
    units = [f"u{i:03d}" for i in range(400)]
    x = pd.DataFrame({"digital": rng.normal(size=400), "cluster": rng.normal(size=400)}, index=units)
    z = x.apply(zscore)
    value = 2.0 * z["digital"] - 1.0 * z["cluster"] + 0.5 * z["digital"] * z["cluster"] + rng.normal(size=400)
    out = adaptation_models(
        _measured(value),
        _exposures(x),
        "gfc",
        "hysteresis_k0",
        exposure_vars=["digital", "cluster"],
        controls=[],
        interact=True,
    ).set_index("term")
    assert out.loc["digital", "coef"] == pytest.approx(2.0, abs=0.15)
    assert out.loc["cluster", "coef"] == pytest.approx(-1.0, abs=0.15)
    assert out.loc["digital_x_cluster", "coef"] == pytest.approx(0.5, abs=0.15)
    assert out.loc["digital_x_cluster", "role"] == "interaction" and out.loc["const", "role"] == "const"
    assert (out["cov_type"] == "HC1").all() and (out["nobs"] == 400).all()


def test_model_without_effect_rejects_at_about_its_level():
    rng = np.random.default_rng(11)
    rejections = 0
    for _ in range(200):
        units = [f"u{i:02d}" for i in range(60)]
        x = pd.DataFrame({"digital": rng.normal(size=60)}, index=units)
        out = _one_exposure_model(pd.Series(rng.normal(size=60), index=units), x)
        rejections += int(out.set_index("term").loc["digital", "p"] < 0.05)
    assert 0.02 <= rejections / 200 <= 0.09


def test_model_clusters_by_group_and_says_why_it_cannot_estimate():
    rng = np.random.default_rng(5)
    units = [f"u{i:02d}" for i in range(40)]
    x = pd.DataFrame({"digital": rng.normal(size=40)}, index=units)
    groups = pd.Series([f"g{i % 8}" for i in range(40)], index=units)
    out = _one_exposure_model(pd.Series(rng.normal(size=40), index=units), x, groups=groups)
    assert (out["cov_type"] == "CR1").all() and (out["n_clusters"] == 8).all()
    few = _one_exposure_model(pd.Series([1.0, 2.0, 3.0], index=units[:3]), x)
    assert few["status"].tolist() == ["not estimable"] and "3 units for 2 coefficients" in few["note"].iloc[0]
    absent = _one_exposure_model(pd.Series([1.0], index=units[:1]), x, exposure="broadband")
    assert "no unit has any of the exposures ['broadband']" in absent["note"].iloc[0]


def test_section_lines_report_medians_reasons_and_significance():
    table = adaptation_measures(
        _growth(["A", "B"], {"A": 0.0, "B": 100 * np.log(1 / 0.95)}), _levels(["A", "B"]), [GFC], OWN
    )
    models = pd.DataFrame(
        {
            "episode": "gfc",
            "measure": "hysteresis_k0",
            "term": ["const", "digital", "log_gdppc"],
            "role": ["const", "exposure", "control"],
            "coef": [0.1, -2.5, 1.0],
            "se": [0.1, 1.0, 1.0],
            "p": [0.3, 0.012, 0.4],
            "nobs": 50,
            "status": "estimated",
        }
    )
    text = "\n".join(adaptation_lines(table, models, {"label": "Countries", "panel": "countries"}))
    assert "share_change 2008->2011: median 0.50 pp over 2 units, 50% above zero" in text
    assert "diversity_change not measurable (no sector split in this panel)" in text
    table_rows = coefficient_table(models)
    assert table_rows["term"].tolist() == ["digital"] and table_rows.iloc[0, -1] == "yes"


def test_diversity_changes_keep_three_decimals():
    assert value(0.0123, "diversity_change") == "0.012" and value(0.0123, "share_change") == "0.01"
    assert value(float("nan"), "diversity_change") == "n/a"
