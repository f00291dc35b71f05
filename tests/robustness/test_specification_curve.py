import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from resilience.errors import ConfigError
from resilience.robustness import specification_curve as sc
from tests.robustness.dgp import GFC, simulate

YEARS = range(2002, 2014)


def _block(**forks):
    return {
        "forks": forks,
        "fixed_effects": {"year": ["unit", "year"], "group_year": ["unit", "group^year"]},
        "controls": {"none": [], "income": ["income"]},
        "samples": {"all": {}, "winsorized": {"winsorize": [1, 99]}},
        "seed": 7,
    }


# --- grid --------------------------------------------------------------------------------------------


def test_grid_is_the_product_of_the_fork_values_with_the_first_values_as_headline():
    grid = sc.spec_grid(_block(outcome=["a", "b"], digital=["x", "y", "z"], fixed_effects=["year", "group_year"]))
    assert len(grid) == 2 * 3 * 2
    assert grid["spec_id"].tolist() == list(range(1, 13))
    head = grid[grid["is_headline"]]
    assert len(head) == 1 and head[["outcome", "digital", "fixed_effects"]].iloc[0].tolist() == ["a", "x", "year"]
    # forks the block leaves out are one value, "not used"
    assert (grid["benchmark"] == sc.NOT_USED).all() and (grid["weights"] == sc.NOT_USED).all()
    assert not grid.duplicated(list(sc.FORKS)).any()


def test_capped_grid_draws_whole_fixed_effect_blocks_and_keeps_the_headline():
    block = {
        **_block(
            outcome=["a", "b", "c"],
            digital=["x", "y", "z", "w"],
            sample=["all", "winsorized"],
            fixed_effects=["year", "group_year"],
        ),
        "max_specifications": 9,
    }
    grid = sc.spec_grid(block)
    assert len(grid) == 8  # 9 // 2 blocks of 2 fixed-effect sets
    assert grid["is_headline"].sum() == 1 and grid["spec_id"].iloc[0] == 1
    blocks = sc.sibling_blocks(grid)
    assert len(blocks) == 4 and all(b["fixed_effects"].tolist() == ["year", "group_year"] for b in blocks)
    assert sc.spec_grid(block).equals(grid)  # seeded: the same draw every run
    assert not sc.spec_grid(block, seed=8).equals(grid)


def test_check_block_names_the_undefined_set():
    with pytest.raises(ConfigError, match=r"forks.controls: \['both'\] not defined"):
        sc.check_block(_block(outcome=["a"], controls=["none", "both"], fixed_effects=["year"]), "x")
    with pytest.raises(ConfigError, match="size_series"):
        sc.check_block(_block(outcome=["a"], weights=["none", "size"], fixed_effects=["year"]), "x")
    with pytest.raises(ConfigError, match="outcome_levels"):
        sc.check_block(
            {**_block(outcome=["a"], benchmark=["world_sum", "world_excl_unit"], fixed_effects=["year"])}, "x"
        )


# --- data variants ---------------------------------------------------------------------------------


def test_benchmark_growth_hand_computed():
    levels = pd.DataFrame(
        {
            "unit": ["a", "a", "b", "b", "c", "c"],
            "year": [1, 2] * 3,
            "value": [100.0, 110.0, 200.0, 180.0, 100.0, 130.0],
        }
    )
    region = pd.Series({"a": "r1", "b": "r1", "c": "r2"})
    world = sc.benchmark_growth(levels, "world_excl_unit").set_index("unit")["growth"]
    # a: (180 + 130) / (200 + 100) - 1; b: (110 + 130) / (100 + 100) - 1
    assert world["a"] == pytest.approx(100 * (310 / 300 - 1))
    assert world["b"] == pytest.approx(100 * (240 / 200 - 1))
    own = sc.benchmark_growth(levels, "own_region", region).set_index("unit")["growth"]
    assert own["a"] == pytest.approx(100 * (290 / 300 - 1)) and own["c"] == pytest.approx(30.0)
    total = sc.benchmark_growth(levels, "world_sum").set_index("unit")["growth"]
    assert total.tolist() == pytest.approx([100 * (420 / 400 - 1)] * 3)


def test_winsorize_and_trim_at_percentiles():
    values = pd.Series(np.arange(101, dtype=float))
    assert sc.winsorized(values, [10, 90]).tolist() == [10.0] * 11 + list(range(11, 90)) + [90.0] * 11
    assert sc.trimmed(values, [10, 90]).dropna().tolist() == list(range(10, 91))


# --- estimation ------------------------------------------------------------------------------------


def _panel(seed, effect=-3.0, n_units=90):
    growth, exposures, x = simulate(n_units, YEARS, seed=seed, exposures=("digital", "cluster"), effect=lambda t: 0.0)
    rng = np.random.default_rng(seed)
    # planted: the contraction year moves growth by `effect` per SD of digital; the cluster measure has no effect
    growth["growth"] += (
        np.where(growth["year"] == 2009, effect, 0.0) * sc_z(x["digital"]).reindex(growth["unit"]).to_numpy()
    )
    proxy = x["digital"] + rng.normal(scale=0.3, size=len(x))
    income = x["digital"] * 0.5 + rng.normal(size=len(x))
    extra = pd.DataFrame({"unit": x.index, "episode": "gfc", "variable": "digital_proxy", "value": proxy.to_numpy()})
    inc = pd.DataFrame({"unit": x.index, "episode": "gfc", "variable": "income", "value": income.to_numpy()})
    exposures = pd.concat([exposures, extra, inc], ignore_index=True)
    size = pd.Series(np.exp(rng.normal(size=len(x))), index=x.index)
    return growth, exposures, size


def sc_z(x):
    return (x - x.mean()) / x.std(ddof=1)


def test_estimator_matches_statsmodels_wls_with_dummies():
    growth, exposures, size = _panel(11)
    block = _block(outcome=["growth"], digital=["digital"], cluster=["cluster"], fixed_effects=["year"])
    spec = sc.spec_grid(block).iloc[0].to_dict() | {"weights": "sqrt"}
    rows, regressors, weight = sc.spec_frame(growth, exposures, GFC, spec, block, {"size": size})
    names = {r: f"x{i}" for i, r in enumerate(regressors)}
    data = rows.rename(columns=names)
    for effects in (["year"], ["unit", "year"]):
        ours = sc.estimate(rows, regressors, [effects], weight)[0].set_index("term")
        fit = smf.wls(
            "y ~ " + " + ".join(names.values()) + "".join(f" + C({e})" for e in effects), data, weights=data["w"]
        ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data["unit"])[0]})
        n, k_slopes = len(data), len(regressors)
        # statsmodels counts every dummy in K; fixest (pyfixest) leaves out effects nested in the clusters
        k_ours = k_slopes + data["year"].nunique() + (0 if "unit" in effects else 0)
        ratio = np.sqrt((n - len(fit.params)) / (n - k_ours))
        for term, name in names.items():
            assert ours.loc[term, "estimate"] == pytest.approx(fit.params[name], abs=1e-8)
            assert ours.loc[term, "se"] == pytest.approx(fit.bse[name] * ratio, rel=1e-6)
        assert (ours["n_obs"] == n).all() and (ours["n_clusters"] == 90).all()


def test_planted_effect_is_recovered_by_most_specifications():
    growth, exposures, size = _panel(12)
    block = {
        **_block(
            outcome=["growth"],
            digital=["digital", "digital_proxy"],
            cluster=["cluster"],
            controls=["none", "income"],
            fixed_effects=["year", "group_year"],
            weights=["none", "sqrt"],
            sample=["all", "winsorized"],
        )
    }
    variants = {("gfc", sc.NOT_USED, sc.NOT_USED): (GFC, exposures)}
    extras = {
        "units": pd.DataFrame(index=sorted(growth["unit"].unique())),
        "benchmarks": {},
        "size": {("gfc", sc.NOT_USED, sc.NOT_USED): size},
    }
    curve = sc.run_curve(growth, variants, block, extras, ["gfc"])
    assert curve["spec_id"].nunique() == 2 * 2 * 2 * 2 * 2 and curve["estimate"].notna().all()
    summary = sc.summarize(curve, "toy").set_index("term")
    planted = summary.loc["contraction_gfc_x_digital"]
    assert planted["n_specs"] == 32 and planted["phase"] == "resistance"
    assert planted["share_significant_same_sign"] >= 0.9 and planted["headline_estimate"] == pytest.approx(-3, abs=0.5)
    assert summary.loc["contraction_gfc_x_cluster", "share_significant"] <= 0.25
    assert summary.loc["recovery_gfc_x_digital", "share_significant"] <= 0.25


def test_summary_shares_hand_computed():
    curve = pd.DataFrame(
        {
            "spec_id": [1, 2, 3, 4, 5],
            "episode": "gfc",
            "phase": "resistance",
            "term": "t",
            "estimate": [-2.0, -1.0, 0.5, -3.0, np.nan],
            "p_value": [0.01, 0.2, 0.03, 0.04, np.nan],
            "is_headline": [True, False, False, False, False],
        }
    )
    row = sc.summarize(curve, "p").iloc[0]
    assert row["n_specs"] == 4 and row["n_not_estimable"] == 1
    assert row["headline_estimate"] == -2.0 and row["median_estimate"] == pytest.approx(-1.5)
    assert row["share_same_sign"] == pytest.approx(3 / 4)
    assert row["share_significant_same_sign"] == pytest.approx(2 / 4)
    assert row["share_significant"] == pytest.approx(3 / 4)


def _baseline_against_headline_model():
    """Curve of two terms whose baseline (spec 1) gives -2.0 where the headline model gives +0.4."""
    return pd.DataFrame(
        {
            "spec_id": [1, 2, 3, 4, 5, 1, 2, 3, 4, 5],
            "episode": "gfc",
            "phase": "resistance",
            "term": ["contraction_gfc_x_d"] * 5 + ["contraction_gfc_x_k"] * 5,
            "estimate": [-2.0, -1.0, 0.5, -3.0, np.nan, 1.0, 2.0, -1.0, 3.0, np.nan],
            "p_value": [0.01, 0.2, 0.03, 0.04, np.nan, 0.01, 0.01, 0.5, 0.5, np.nan],
            "n_obs": [90, 80, 80, 80, np.nan] * 2,
            "n_clusters": [18, 16, 16, 16, np.nan] * 2,
            "controls": "income",
            "is_headline": [True, False, False, False, False] * 2,
        }
    )


def _headline_models_table():
    terms = [
        "contraction_gfc_x_d",
        "contraction_gfc_x_k",
        "contraction_gfc_x_d_x_k",
        "contraction_gfc_x_log_gdppc",
        "recovery_gfc_x_d_x_k",
    ]
    main = pd.DataFrame(
        {"model": "main", "term": terms, "coef": [0.4, 2.5, 1.0, 0.3, 0.2], "nobs": 100, "n_clusters": 20}
    )
    # another model of the table with the opposite sign: only the episode's headline model counts
    other = pd.DataFrame({"model": "other", "term": terms[:2], "coef": [-5.0, -5.0], "nobs": 50, "n_clusters": 10})
    return pd.concat([other, main], ignore_index=True)


def test_shares_count_the_sign_of_the_headline_model_not_of_the_curve_baseline():
    curve = _baseline_against_headline_model()
    block = {"controls": {"none": [], "income": ["log_gdppc"]}}
    headline = sc.headline_estimates(_headline_models_table(), {"gfc": "main"}, curve, block)
    row = sc.summarize(curve, "p", headline).set_index("term").loc["contraction_gfc_x_d"]
    # estimates -2, -1, 0.5, -3 against the headline model's +0.4: one of four shares its sign, and that
    # one (p = 0.03) is significant; against the baseline's -2 it would be three of four
    assert row["headline_model"] == "main" and row["headline_estimate"] == 0.4
    assert row["share_same_sign"] == pytest.approx(1 / 4)
    assert row["share_significant_same_sign"] == pytest.approx(1 / 4)
    assert row["share_significant"] == pytest.approx(3 / 4)
    assert row["baseline_estimate"] == -2.0 and row["median_estimate"] == pytest.approx(-1.5)
    assert (row["baseline_n_obs"], row["baseline_n_clusters"]) == (90, 18)
    assert (row["headline_n_obs"], row["headline_n_clusters"]) == (100, 20)
    # the baseline has both exposures and the income control: it lacks the phase's exposure x exposure term
    assert row["terms_not_in_baseline"] == "contraction_gfc_x_d_x_k"


def test_a_term_the_headline_model_lacks_has_no_shares():
    curve = _baseline_against_headline_model()
    models = _headline_models_table()
    headline = sc.headline_estimates(models[models["term"] != "contraction_gfc_x_k"], {"gfc": "main"}, curve, {})
    row = sc.summarize(curve, "p", headline).set_index("term").loc["contraction_gfc_x_k"]
    assert np.isnan(row["headline_estimate"]) and np.isnan(row["share_same_sign"]) and row["baseline_estimate"] == 1.0


def test_income_correlation_of_the_composite():
    exposures = pd.DataFrame(
        {
            "unit": list("abcd") * 2,
            "episode": "gfc",
            "variable": ["digital_z"] * 4 + ["log_gdppc"] * 4,
            "value": [1.0, 2.0, 3.0, 4.0, 2.0, 4.0, 6.0, 9.0],
        }
    )
    row = sc.income_correlation(exposures, "digital_z", "log_gdppc").iloc[0]
    assert row["n_units"] == 4
    assert row["correlation"] == pytest.approx(np.corrcoef([1, 2, 3, 4], [2, 4, 6, 9])[0, 1])


def test_an_episode_without_exposures_gives_rows_saying_why():
    growth, exposures, size = _panel(13)
    block = _block(outcome=["growth"], digital=["digital"], cluster=["cluster"], fixed_effects=["year", "group_year"])
    other = exposures.assign(episode="covid")
    curve = sc.run_curve(growth, {("gfc", sc.NOT_USED, sc.NOT_USED): (GFC, other)}, block, {}, ["gfc"])
    assert len(curve) == 2 * 4 and curve["estimate"].isna().all()
    assert curve["note"].str.contains("no unit has all of").all()
    summary = sc.summarize(curve, "toy")
    assert (summary["n_specs"] == 0).all() and (summary["n_not_estimable"] == 2).all()


def test_estimates_are_the_same_whatever_the_string_hash_seed():
    # pyfixest 0.60 orders the effects by string hash: without the fix the last digits change between processes
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "from tests.robustness.test_specification_curve import _panel, _block, sc, GFC\n"
        "growth, exposures, size = _panel(14)\n"
        "block = _block(outcome=['growth'], digital=['digital'], cluster=['cluster'], fixed_effects=['group_year'])\n"
        "spec = sc.spec_grid(block).iloc[0].to_dict()\n"
        "rows, regressors, weight = sc.spec_frame(growth, exposures, GFC, spec, block, {})\n"
        "table = sc.estimate(rows, regressors, [['unit', 'year', 'group^year']], weight)[0]\n"
        "print(table[['estimate', 'se']].to_numpy().tobytes().hex())\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout.strip())
    assert len(outputs) == 1


# --- Martin-index cross-sections -------------------------------------------------------------------

# a hand-made cross-section: ten units, two exposures, two regions, a size weight
SMALL = pd.DataFrame(
    {
        "unit": [f"u{i}" for i in range(10)],
        "y": [-3.1, 0.4, 2.2, -1.5, 4.8, -0.2, 1.9, -4.4, 0.7, 3.3],
        "x1": [0.5, -1.2, 0.3, 1.8, -0.7, 0.1, -1.5, 2.0, -0.4, 0.9],
        "x2": [1.0, 0.0, 2.0, 1.0, 3.0, 0.0, 1.0, 2.0, 0.0, 3.0],
        "region": ["a", "b"] * 5,
        "group": ["c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4", "c5", "c5"],
        "w": [1.0, 2.0, 0.5, 1.5, 3.0, 1.0, 2.5, 0.8, 1.2, 2.0],
    }
)


@pytest.mark.parametrize(("effects", "weight"), [([], None), (["region"], None), (["region"], "w")])
def test_cross_section_estimator_matches_statsmodels_hc1(effects, weight):
    ours = sc.estimate_cross_section(SMALL, ["x1", "x2"], effects, weight, "unit").set_index("term")
    formula = "y ~ x1 + x2" + "".join(f" + C({e})" for e in effects)
    model = smf.wls(formula, SMALL, weights=SMALL[weight]) if weight else smf.ols(formula, SMALL)
    fit = model.fit(cov_type="HC1", use_t=True)
    for term in ("x1", "x2"):
        assert ours.loc[term, "estimate"] == pytest.approx(fit.params[term], abs=1e-10)
        assert ours.loc[term, "se"] == pytest.approx(fit.bse[term], rel=1e-9)
        assert ours.loc[term, "p_value"] == pytest.approx(fit.pvalues[term], rel=1e-9)
        low, high = fit.conf_int().loc[term]
        assert (ours.loc[term, "ci_low"], ours.loc[term, "ci_high"]) == pytest.approx((low, high), rel=1e-9)
    # one row per unit: HC1 counts every unit as its own cluster
    assert (ours["n_obs"] == 10).all() and (ours["n_clusters"] == 10).all()


def test_cross_section_estimator_clusters_by_group_when_the_block_does():
    ours = sc.estimate_cross_section(SMALL, ["x1", "x2"], [], None, "group").set_index("term")
    fit = smf.ols("y ~ x1 + x2", SMALL).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(SMALL["group"])[0]})
    assert ours.loc["x1", "se"] == pytest.approx(fit.bse["x1"], rel=1e-9)
    assert (ours["n_clusters"] == 5).all()


def _martin(exposures: pd.DataFrame, seed: int, effect: float) -> pd.DataFrame:
    """Resistance = ``effect`` x the z-scored digital exposure + a region shift + noise; recovery = noise."""
    rng = np.random.default_rng(seed)
    digital = exposures[exposures["variable"] == "digital"].set_index("unit")["value"]
    region = pd.Series(np.arange(len(digital)) % 3, index=digital.index)
    resistance = effect * sc_z(digital) + 2.0 * region + rng.normal(size=len(digital))
    recovery = pd.Series(rng.normal(size=len(digital)), index=digital.index)
    parts = [
        pd.DataFrame({"unit": v.index, "group": v.index, "episode": "gfc", "phase": phase, "index_pp": v.to_numpy()})
        for phase, v in (("resistance", resistance), ("recovery", recovery))
    ]
    martin = pd.concat(parts, ignore_index=True)
    return martin.assign(index_ratio=martin["index_pp"] / 5.0), region.map({0: "r0", 1: "r1", 2: "r2"})


def _martin_block():
    block = _block(
        outcome=["growth", "martin_pp", "martin_ratio"],
        digital=["digital", "digital_proxy"],
        cluster=["cluster"],
        controls=["none", "income"],
        fixed_effects=["year", "group_year"],
        weights=["none", "sqrt"],
    )
    block["cross_section"] = {
        "outcomes": {"martin_pp": "index_pp", "martin_ratio": "index_ratio"},
        "forks": {"fixed_effects": ["none", "region"]},
        "fixed_effects": {"none": [], "region": ["region"]},
    }
    # the units' region, as a metadata file would give it (the tests pass the unit table themselves)
    block["unit_metadata"] = {"file": "data/units.parquet", "key": "code", "columns": ["region"]}
    return block


def test_martin_outcomes_form_their_own_grid_after_the_growth_grid():
    block = _martin_block()
    grid = sc.spec_grid(block)
    growth_only = {**block, "forks": {**block["forks"], "outcome": ["growth"]}}
    growth_only.pop("cross_section")
    head = grid[grid["outcome"] == "growth"].reset_index(drop=True)
    assert head.equals(sc.spec_grid(growth_only))  # the growth grid (and its ids) as without Martin outcomes
    martin = grid[grid["outcome"] != "growth"]
    assert martin["spec_id"].tolist() == list(range(len(head) + 1, len(grid) + 1))
    assert len(martin) == 2 * 2 * 2 * 2 * 2 and not martin["is_headline"].any()
    assert set(martin["fixed_effects"]) == {"none", "region"}
    # capped on its own: the growth grid's draw does not move
    capped = sc.spec_grid({**block, "cross_section": {**block["cross_section"], "max_specifications": 8}})
    assert capped[capped["outcome"] == "growth"].reset_index(drop=True).equals(head)
    assert (capped["outcome"] != "growth").sum() == 8


def test_check_block_rejects_cross_section_forks_it_cannot_read():
    block = {**_martin_block(), "size_series": "size"}
    sc.check_block(block, "x")
    bad = {**block, "cross_section": {**block["cross_section"], "forks": {"fixed_effects": ["country"]}}}
    with pytest.raises(ConfigError, match=r"cross_section.forks.fixed_effects: \['country'\] not defined"):
        sc.check_block(bad, "x")
    bad = {
        **block,
        "cross_section": {**block["cross_section"], "forks": {"benchmark": ["own_region"], "fixed_effects": ["none"]}},
    }
    with pytest.raises(ConfigError, match="its own benchmark"):
        sc.check_block(bad, "x")
    bad = {**block, "cross_section": {**block["cross_section"], "forks": {"digital": ["digital"]}}}
    with pytest.raises(ConfigError, match="block's own forks"):
        sc.check_block(bad, "x")


def test_planted_effect_on_the_martin_index_is_recovered_in_the_curve():
    growth, exposures, size = _panel(15, effect=0.0, n_units=120)
    martin, region = _martin(exposures, 15, effect=-4.0)
    block = _martin_block()
    key = ("gfc", sc.NOT_USED, sc.NOT_USED)
    extras = {"units": pd.DataFrame({"region": region}), "benchmarks": {}, "size": {key: size}}
    curve = sc.run_curve(growth, {key: (GFC, exposures, martin)}, block, extras, ["gfc"])
    cross = curve[curve["outcome"].isin(["martin_pp", "martin_ratio"])]
    assert cross["spec_id"].nunique() == 32 and cross["estimate"].notna().all()
    # the same term names as the growth specifications, one row per unit
    assert set(cross["term"]) == set(curve.loc[curve["outcome"] == "growth", "term"])
    assert (cross["n_obs"] == 120).all()
    planted = cross[(cross["term"] == "contraction_gfc_x_digital") & (cross["digital"] == "digital")]
    pp = planted[(planted["outcome"] == "martin_pp") & (planted["fixed_effects"] == "region")]
    assert pp["estimate"].to_numpy() == pytest.approx(-4.0, abs=0.4)
    assert (planted["p_value"] < 0.05).all()
    ratio = planted[planted["outcome"] == "martin_ratio"].set_index(["controls", "weights", "fixed_effects"])
    same = planted[planted["outcome"] == "martin_pp"].set_index(["controls", "weights", "fixed_effects"])
    assert ratio["estimate"].to_numpy() == pytest.approx(same["estimate"].to_numpy() / 5.0)
    nothing = cross[cross["term"].str.startswith("recovery_") | cross["term"].str.endswith("_x_cluster")]
    assert (nothing["p_value"] < 0.05).mean() <= 0.25
    summary = sc.summarize(curve, "toy").set_index("term")
    assert summary.loc["contraction_gfc_x_digital", "n_specs"] == len(curve["spec_id"].unique())


# --- per-episode blocks ----------------------------------------------------------------------------


def _by_episode_block():
    return {
        **_block(outcome=["ends_early", "growth"], cluster=["cluster"], fixed_effects=["year"], weights=["none"]),
        "size_series": "employment",
        "exposure_max_back": 1,
        "by_episode": {"gfc": {"forks": {"outcome": ["growth"], "weights": ["none", "size"]}, "size_series": "gdp"}},
    }


def test_episode_block_replaces_forks_one_by_one_and_other_keys():
    block = _by_episode_block()
    gfc = sc.episode_block(block, "gfc")
    assert gfc["forks"] == {
        "outcome": ["growth"],
        "cluster": ["cluster"],
        "fixed_effects": ["year"],
        "weights": ["none", "size"],
    }
    assert gfc["size_series"] == "gdp" and gfc["fixed_effects"] == block["fixed_effects"]
    assert sc.episode_block(block, "covid") is block
    assert len(sc.spec_grid(gfc)) == 2 and len(sc.spec_grid(sc.episode_block(block, "covid"))) == 2
    assert sc.spec_grid(gfc)["outcome"].tolist() == ["growth", "growth"]


def test_check_block_checks_each_episode_as_it_uses_the_block():
    block = _by_episode_block()
    sc.check_block(block, "x", ["gfc", "covid"])
    with pytest.raises(ConfigError, match=r"x.by_episode: \['crisis'\] are not episodes"):
        sc.check_block({**block, "by_episode": {"crisis": {"size_series": "gdp"}}}, "x", ["gfc", "covid"])
    wrong = {**block, "by_episode": {"gfc": {"forks": {"controls": ["both"]}}}}
    with pytest.raises(ConfigError, match=r"x.by_episode.gfc.forks.controls: \['both'\] not defined under x.controls"):
        sc.check_block(wrong, "x", ["gfc", "covid"])


class _LevelsOwner:
    """A panel whose level series are two size measures, hand-set per unit and year."""

    def size_levels(self, panel):
        return panel


def test_size_series_and_its_look_back_follow_the_episode():
    levels = pd.DataFrame(
        {
            "unit": ["a", "a", "b", "a", "b", "b"],
            "year": [2006, 2007, 2006, 2018, 2018, 2019],
            "series": ["employment", "gdp", "gdp", "employment", "employment", "gdp"],
            "value": [10.0, 70.0, 60.0, 11.0, 21.0, 99.0],
        }
    )
    from tests.robustness.dgp import COVID

    variants = {("gfc", sc.NOT_USED, sc.NOT_USED): (GFC, None), ("covid", sc.NOT_USED, sc.NOT_USED): (COVID, None)}
    size = sc.unit_values(_LevelsOwner(), levels, variants, _by_episode_block(), "size_series")
    # gfc reads gdp at 2007 (b: 2006, one year back); covid reads employment at 2019 or 2018
    assert size[("gfc", sc.NOT_USED, sc.NOT_USED)].to_dict() == {"a": 70.0, "b": 60.0}
    assert size[("covid", sc.NOT_USED, sc.NOT_USED)].to_dict() == {"a": 11.0, "b": 21.0}
    none = sc.unit_values(_LevelsOwner(), levels, variants, _by_episode_block(), "population_series")
    assert all(s.empty for s in none.values())


def test_an_episode_is_judged_on_its_own_headline_outcome():
    growth, exposures, size = _panel(14)
    growth = growth.assign(ends_early=np.nan)
    key = ("gfc", sc.NOT_USED, sc.NOT_USED)
    extras = {"units": pd.DataFrame(index=sorted(growth["unit"].unique())), "benchmarks": {}, "size": {key: size}}
    # the planted digital exposure stands in as the cluster measure (the block's only role)
    exposures = exposures[exposures["variable"] != "cluster"]
    exposures = exposures.assign(variable=exposures["variable"].replace({"digital": "cluster"}))
    curve = sc.run_curve(growth, {key: (GFC, exposures)}, _by_episode_block(), extras, ["gfc"])
    assert set(curve["outcome"]) == {"growth"} and set(curve["weights"]) == {"none", "size"}
    summary = sc.summarize(curve, "toy").set_index("term")
    # the planted -3 per SD of the (renamed) exposure is the headline of the episode's own outcome
    assert summary.loc["contraction_gfc_x_cluster", "headline_estimate"] == pytest.approx(-3, abs=0.5)
    assert summary.loc["contraction_gfc_x_cluster", "n_specs"] == 2


def test_unit_classes_give_each_unit_its_class_and_none_outside_them():
    growth = pd.DataFrame({"unit": ["a", "b", "c", "d"], "year": 2009})
    block = {"unit_classes": {"region": {"east": ["a", "c"], "west": ["b"]}}}
    table = sc.unit_table(growth, None, block)
    assert table.loc[["a", "b", "c"], "region"].tolist() == ["east", "west", "east"]
    assert pd.isna(table.loc["d", "region"])
    with pytest.raises(ConfigError, match=r"x.unit_classes.region: a is in both 'east' and 'west'"):
        sc.check_unit_classes({"unit_classes": {"region": {"east": ["a"], "west": ["a", "b"]}}}, "x")


def test_region_year_effects_from_unit_classes_absorb_a_regional_shock():
    growth, exposures, size = _panel(15, effect=0.0)
    # a regional shock in 2009 that hits the north, whose units are also the more digital ones: year
    # effects alone read it as a digital effect, region x year effects absorb it
    digital = exposures[exposures["variable"] == "digital"].set_index("unit")["value"]
    north = digital.rank() > len(digital) / 2
    halves = {"north": sorted(north[north].index), "south": sorted(north[~north].index)}
    growth["growth"] -= np.where((growth["year"] == 2009) & growth["unit"].isin(halves["north"]), 5.0, 0.0)
    block = {
        **_block(outcome=["growth"], digital=["digital"], fixed_effects=["year", "region_year"]),
        "fixed_effects": {"year": ["unit", "year"], "region_year": ["unit", "region^year"]},
        "unit_classes": {"region": halves},
    }
    key = ("gfc", sc.NOT_USED, sc.NOT_USED)
    extras = {"units": sc.unit_table(growth, None, block), "benchmarks": {}, "size": {key: size}}
    curve = sc.run_curve(growth, {key: (GFC, exposures)}, block, extras, ["gfc"])
    term = curve[curve["term"] == "contraction_gfc_x_digital"].set_index("fixed_effects")
    assert term.loc["year", "estimate"] < -2 and term.loc["year", "p_value"] < 0.01
    assert abs(term.loc["region_year", "estimate"]) < 1


def test_check_block_names_fixed_effects_over_columns_no_unit_has():
    block = {**_block(outcome=["a"], fixed_effects=["year"]), "unit_classes": {"region": {"east": ["a"]}}}
    sc.check_block({**block, "fixed_effects": {"year": ["unit", "region^year"]}}, "x")
    with pytest.raises(ConfigError, match=r"x.fixed_effects.year: \['province'\] are not unit columns"):
        sc.check_block({**block, "fixed_effects": {"year": ["unit", "province^year"]}}, "x")
    cross = {"cross_section": {"outcomes": {}, "fixed_effects": {"r": ["zone"]}}}
    with pytest.raises(ConfigError, match=r"x.cross_section.fixed_effects.r: \['zone'\]"):
        sc.check_block({**block, **cross}, "x")
    with pytest.raises(ConfigError, match=r"x.unit_classes: \['group'\] already name a unit column"):
        sc.check_block({**block, "unit_classes": {"group": {"east": ["a"]}}}, "x")


def test_an_episode_without_overrides_keeps_the_block_in_the_same_run():
    growth, exposures, size = _panel(16)
    growth = growth.assign(ends_early=growth["growth"])
    key, other = ("gfc", sc.NOT_USED, sc.NOT_USED), ("late", sc.NOT_USED, sc.NOT_USED)
    late = {**GFC, "name": "late"}
    exposures = exposures[exposures["variable"] != "cluster"]
    exposures = exposures.assign(variable=exposures["variable"].replace({"digital": "cluster"}))
    both = pd.concat([exposures, exposures.assign(episode="late")], ignore_index=True)
    extras = {
        "units": pd.DataFrame(index=sorted(growth["unit"].unique())),
        "benchmarks": {},
        "size": {key: size, other: size},
    }
    curve = sc.run_curve(growth, {key: (GFC, both), other: (late, both)}, _by_episode_block(), extras, ["gfc", "late"])
    # gfc: its own forks (growth; none and size weights); late: the block's (ends_early, growth; no weights)
    assert set(curve.loc[curve["episode"] == "gfc", "weights"]) == {"none", "size"}
    late_rows = curve[curve["episode"] == "late"]
    assert set(late_rows["weights"]) == {"none"} and set(late_rows["outcome"]) == {"ends_early", "growth"}
    assert late_rows.loc[late_rows["is_headline"].astype(bool), "outcome"].unique().tolist() == ["ends_early"]
