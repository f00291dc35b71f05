"""Coefficient plot: readable labels, one point and bar per term, caption."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import figures_sample_data as sample
from resilience.errors import InputError
from resilience.figures.coefplot import coefficient_plot, readable_term


@pytest.mark.parametrize("term, label", [
    ("contraction_gfc_x_digital_z", "GFC contraction × digital_z"),
    ("recovery_covid_x_lq_manuf", "COVID-19 recovery × lq_manuf"),
    ("contraction_trade_war_x_digital_z", "TRADE WAR contraction × digital_z"),
    ("digital_z_x_contraction_gfc", "digital_z × GFC contraction"),
    ("log_gdppc", "log_gdppc"),
    ("const", "Intercept"),
    ("Intercept", "Intercept"),
])
def test_readable_term(term, label):
    assert readable_term(term) == label


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_default_terms_skip_intercept():
    fig = coefficient_plot(sample.coef_table(), "main_twfe")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    (points,) = _by_gid(ax, "points")
    assert points.get_xdata().tolist() == [0.8, -0.3, 1.2, 0.05]
    assert points.get_ydata().tolist() == [4.0, 3.0, 2.0, 1.0]  # first term on top
    (bars,) = _by_gid(ax, "ci")
    segs = bars.get_segments()
    assert len(segs) == 4
    assert segs[0][:, 0].tolist() == pytest.approx([0.8 - 1.96 * 0.2, 0.8 + 1.96 * 0.2])
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "GFC contraction × digital_z", "GFC recovery × digital_z",
        "GFC contraction × lq_manuf", "log_gdppc"]
    (zero,) = _by_gid(ax, "zero")
    assert zero.get_xdata()[0] == 0.0
    caption = [t.get_text() for t in fig.texts if t.get_gid() == "caption"]
    assert len(caption) == 1
    assert "Covariance: clustered" in caption[0] and "N = 1,234" in caption[0]
    assert "clusters = 88" in caption[0]


def test_chosen_terms_and_missing_values_are_noted():
    table = sample.coef_table()
    table.loc[table["term"] == "log_gdppc", "ci_high"] = np.nan
    table.loc[table["term"] == "recovery_gfc_x_digital_z", "coef"] = np.nan
    fig = coefficient_plot(table, "main_twfe",
                           terms=["log_gdppc", "recovery_gfc_x_digital_z", "const"])
    ax = fig.axes[0]
    (points,) = _by_gid(ax, "points")
    assert points.get_xdata().tolist() == [0.05, 3.0]
    assert points.get_ydata().tolist() == [3.0, 1.0]
    (bars,) = _by_gid(ax, "ci")
    assert len(bars.get_segments()) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "log_gdppc", "GFC recovery × digital_z", "Intercept"]
    caption = fig.texts[0].get_text()
    assert "No estimate (not plotted): recovery_gfc_x_digital_z" in caption
    assert "No confidence interval (point only): log_gdppc" in caption


def test_several_episodes_need_episode_argument():
    a = sample.coef_table().assign(episode="gfc")
    b = sample.coef_table().assign(episode="covid", coef=lambda d: d["coef"] * 2)
    table = pd.concat([a, b], ignore_index=True)
    with pytest.raises(InputError, match="episode"):
        coefficient_plot(table, "main_twfe")
    fig = coefficient_plot(table, "main_twfe", episode="covid")
    (points,) = _by_gid(fig.axes[0], "points")
    assert points.get_xdata().tolist() == [1.6, -0.6, 2.4, 0.1]
    assert "episode covid" in fig.texts[0].get_text()


def test_bad_model_or_terms():
    with pytest.raises(InputError, match="main_twfe"):
        coefficient_plot(sample.coef_table(), "nope")
    with pytest.raises(InputError, match="no term"):
        coefficient_plot(sample.coef_table(), "main_twfe", terms=["missing_term"])
    with pytest.raises(InputError, match="ci_low"):
        coefficient_plot(sample.coef_table().drop(columns="ci_low"), "main_twfe")


def test_readable_term_names_variables_in_words_when_given():
    from resilience.figures.coefplot import readable_term
    words = {"digital_z": "digitalization (z-score)", "lq_manuf": "manufacturing LQ"}
    assert readable_term("contraction_gfc_x_digital_z_x_lq_manuf", words=words) == \
        "GFC contraction × digitalization (z-score) × manufacturing LQ"
    assert readable_term("contraction_gfc_x_digital_z") == "GFC contraction × digital_z"
