"""The report section on complex risk: a pure function of the results files of workflow/rules/risk.smk.

Every number comes from the tables passed in (each named in the text beside what it supplies):
``complex_risk_sources.csv``, ``complex_risk_period_means.csv``, ``complex_risk_daily_peaks.csv``,
``complex_risk_model.csv`` (with its Markdown rendering ``complex_risk_model.md``) and
``results/models/complex_risk_model.json``.
"""

from __future__ import annotations

import pandas as pd

from resilience.report.text import fmt, markdown_table

TITLE = "## Complex risk: geopolitical risk and policy uncertainty"
FIGURE = "figures/complex_risk_global.png"


def complex_risk_section(sources: pd.DataFrame, period_means: pd.DataFrame, peaks: pd.DataFrame,
                         coefs: pd.DataFrame, model_md: str, notes: dict, settings: dict) -> str:
    """The Markdown section; ``model_md`` is ``results/tables/complex_risk_model.md`` as written."""
    lines = [TITLE, ""]
    lines += _sources(sources)
    lines += [f"![Global geopolitical risk and policy uncertainty, {settings['start']} to the latest month; "
              f"shock episodes shaded]({FIGURE})", ""]
    lines += _period_means(period_means)
    lines += _peaks(peaks)
    lines += _model(coefs, model_md, notes, settings)
    return "\n".join(lines).rstrip("\n") + "\n"


def _sources(sources: pd.DataFrame) -> list[str]:
    ok = sources[sources["status"] == "ok"]
    missing = sources[sources["status"] != "ok"]
    lines = ["Sources (`results/tables/complex_risk_sources.csv`): the Caldara-Iacoviello geopolitical risk "
             "index (GPR), the Baker-Bloom-Davis economic policy uncertainty indices (EPU: global, US, China) "
             "and the Ahir-Bloom-Furceri World Uncertainty Index (WUI), each as its publisher's file."]
    for row in ok.itertuples(index=False):
        n = int(row.n_countries)
        countries = f", {n} {'country' if n == 1 else 'countries'}" if n else ""
        lines.append(f"- `{row.file}` ({row.dataset}): {row.first_obs} to {row.last_obs}{countries}; "
                     f"vintage: {_text(row.vintage) or 'not stated'}.")
    for row in missing.itertuples(index=False):
        lines.append(f"- {row.dataset}: unavailable ({_text(row.message) or 'no reason recorded'}); its series are "
                     "left out, not filled in.")
    return lines + [""]


def _period_means(means: pd.DataFrame) -> list[str]:
    if means.empty:
        return ["No period means: none of the configured series is available.", ""]
    periods = list(dict.fromkeys(means["period"]))
    table = means.assign(cell=[fmt(m, 1) + f" ({int(n)})" if n else "n/a"
                               for m, n in zip(means["mean"], means["n_obs"])])
    wide = table.pivot_table(index=["key", "label"], columns="period", values="cell", aggfunc="first", sort=False)
    wide = wide.reset_index().drop(columns="key").rename(columns={"label": "series"})[["series", *periods]]
    coverage = means.groupby("label", sort=False).agg(first=("first_obs", _first_nonempty),
                                                       last=("last_obs", _last_nonempty))
    wide["observations"] = [f"{coverage.at[s, 'first']} to {coverage.at[s, 'last']}"
                            if coverage.at[s, "first"] != "n/a" else "none" for s in wide["series"]]
    lines = ["Period means of the global series (`results/tables/complex_risk_period_means.csv`; mean of the "
             "monthly or quarterly observations in the period, number of observations in parentheses; "
             "each index in its own units):", "", markdown_table(wide), ""]
    sentence = _change_sentence(means, "gpr", "the global GPR") + _change_sentence(means, "gepu", "the global EPU")
    return lines + ([sentence.strip(), ""] if sentence else [])


def _change_sentence(means: pd.DataFrame, key: str, what: str) -> str:
    rows = means[(means["key"] == key) & (means["n_obs"] > 0)]
    if len(rows) < 2:
        return ""
    first, last = rows.iloc[0], rows.iloc[-1]
    return (f"The mean of {what} went from {fmt(first['mean'], 1)} ({first['period']}) to {fmt(last['mean'], 1)} "
            f"({last['period']}, through {last['last_obs']}). ")


def _peaks(peaks: pd.DataFrame) -> list[str]:
    if peaks.empty:
        return []
    parts = [f"{row.period}: {row.day} ({fmt(row.value, 1)})" for row in peaks.itertuples(index=False)]
    return [f"Highest daily GPR ({peaks['series'].iloc[0]}) per period "
            "(`results/tables/complex_risk_daily_peaks.csv`): "
            + "; ".join(parts) + ".", ""]


def _model(coefs: pd.DataFrame, model_md: str, notes: dict, settings: dict) -> list[str]:
    model = settings["model"]
    exposures = ", ".join(f"`{v}`" for v in model["exposures"])
    controls = ", ".join(f"`{v}`" for v in model["controls"]) or "none"
    lines = ["### Risk as a continuous shock", "",
             f"Manufacturing growth (`{model['dependent']}`) on the economy's own risk index, standardized over the "
             f"estimation sample (`risk_z`), and its products with the standardized pre-shock exposures of the "
             f"main model measured for the `{model['exposure_episode']}` episode ({exposures}"
             + ("; and their product" if model["interact_exposures"] else "") + f"; controls interacted: {controls}), "
             "with economy and year fixed effects and errors clustered by economy "
             "(`results/tables/complex_risk_model.csv`, sample notes in `results/models/complex_risk_model.json`).", ""]
    for variant in model["variants"]:
        note = notes.get(variant["name"], {})
        if note.get("status") != "estimated":
            reason = note.get("reason", "no notes")
            lines.append(f"- `{variant['name']}` ({variant['index']}): not estimated; {reason}.")
            continue
        lines.append(f"- `{variant['name']}` ({variant['index']} index): N = {note['nobs']} economy-years, "
                     f"{note['n_entities']} economies, {note['first_year']}-{note['last_year']}; "
                     f"{_risk_sentence(coefs, variant['name'])}")
    lines.append("")
    if len(coefs):
        lines += [model_md.rstrip("\n"), ""]
    return lines


def _risk_sentence(coefs: pd.DataFrame, name: str) -> str:
    rows = coefs[(coefs["model"] == name) & (coefs["term"] == "risk_z")]
    if rows.empty:
        return "no risk_z coefficient."
    row = rows.iloc[0]
    return (f"one standard deviation of risk goes with {fmt(row['coef'], 2)} pp of growth at mean exposures "
            f"(s.e. {fmt(row['se'], 2)}, p = {fmt(row['p'], 2)}).")


def _text(value) -> str:
    """A cell as text; an empty CSV cell (read back as NaN) is ''."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _first_nonempty(values: pd.Series) -> str:
    present = [v for v in values if isinstance(v, str) and v]
    return present[0] if present else "n/a"


def _last_nonempty(values: pd.Series) -> str:
    present = [v for v in values if isinstance(v, str) and v]
    return present[-1] if present else "n/a"
