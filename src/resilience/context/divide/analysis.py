"""The digital divide: internet use and the people offline, by World Bank income group and world.

Inputs are the tidy tables of the WDI internet (IT.NET.USER.ZS, % of population) and population
(SP.POP.TOTL) datasets, which keep the World Bank aggregates (entity ``aggregate``, iso3 = the
World Bank code: WLD, HIC, UMC, LMC, LIC). People offline = population x (1 - share online / 100),
computed per group and year where both are published; nothing is filled in. A group's latest
year is its own: aggregates can end earlier than the economies (the table says which year).
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.report.text import fmt, markdown_table

DIVIDE_COLUMNS = ["group", "label", "year", "internet_pct", "population", "offline_people", "offline_pct"]
LATEST_COLUMNS = ["group", "label", "latest_year", "internet_pct", "population", "offline_people", "offline_pct",
                  "share_of_world_offline_pct", "latest_economy_year"]
TREND_COLUMNS = ["group", "label", "year", "internet_pct", "offline_people", "offline_pct"]


def check_config(cfg: dict, datasets: set[str]) -> None:
    """Cross-checks of the ``digital_divide`` block that the schema cannot express."""
    for key in ("internet", "population", "itu_aggregates"):
        if key in cfg and cfg[key]["dataset"] not in datasets:
            raise ConfigError(f"digital_divide.{key}.dataset: unknown dataset {cfg[key]['dataset']!r} (not in the catalog)")
    codes = [g["code"] for g in cfg["groups"]]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"digital_divide.groups: codes must be unique, got {codes}")
    if cfg["world"] not in codes:
        raise ConfigError(f"digital_divide.world: {cfg['world']!r} is not one of the groups {codes}")


def aggregate_series(tidy: pd.DataFrame, code: str, groups: list[str], name: str = "tidy table") -> pd.DataFrame:
    """``[group, year, value]`` of series ``code`` for the aggregates ``groups`` (missing values dropped)."""
    missing = [c for c in ("iso3", "entity", "year", "series", "value") if c not in tidy.columns]
    if missing:
        raise InputError(name, f"missing columns {missing}", field=missing[0],
                         expected="a tidy table (iso3, entity, year, series, value, ...)")
    rows = tidy[(tidy["entity"] == "aggregate") & (tidy["series"] == code) & tidy["iso3"].isin(groups)]
    rows = rows.dropna(subset=["value"])
    out = pd.DataFrame({"group": rows["iso3"].astype(str), "year": rows["year"].astype("int64"),
                        "value": rows["value"].astype("float64")})
    if out.duplicated(["group", "year"]).any():
        first = out[out.duplicated(["group", "year"], keep=False)].iloc[0]
        raise InputError(name, f"more than one {code} value for {first['group']} {first['year']}",
                         field="iso3, year", expected="one value per aggregate x year")
    bad = out[(out["value"] < 0) | ((code.endswith(".ZS")) & (out["value"] > 100))]
    if not bad.empty:
        first = bad.iloc[0]
        raise InputError(name, f"{code} is {first['value']} for {first['group']} {first['year']}", field="value",
                         expected="a share in 0..100" if code.endswith(".ZS") else "a non-negative number")
    return out.sort_values(["group", "year"]).reset_index(drop=True)


def latest_economy_year(tidy: pd.DataFrame, code: str) -> int | None:
    """The last year any economy (not aggregate) has a value of ``code``."""
    rows = tidy[(tidy["entity"] == "economy") & (tidy["series"] == code)].dropna(subset=["value"])
    return int(rows["year"].max()) if not rows.empty else None


def divide_table(internet: pd.DataFrame, population: pd.DataFrame, groups: list[dict]) -> pd.DataFrame:
    """Per group and year with both series: share online, population and people offline."""
    labels = {g["code"]: g["label"] for g in groups}
    order = {g["code"]: i for i, g in enumerate(groups)}
    both = internet.rename(columns={"value": "internet_pct"}).merge(
        population.rename(columns={"value": "population"}), on=["group", "year"], how="inner")
    both["label"] = both["group"].map(labels)
    both["offline_pct"] = 100.0 - both["internet_pct"]
    both["offline_people"] = both["population"] * both["offline_pct"] / 100.0
    both = both.assign(_order=both["group"].map(order)).sort_values(["_order", "year"])
    return both[DIVIDE_COLUMNS].reset_index(drop=True)


def latest_table(divide: pd.DataFrame, groups: list[dict], world: str, economy_year: int | None) -> pd.DataFrame:
    """Each group's latest year with both series; its share of the world's offline people that year."""
    rows = []
    for g in groups:
        own = divide[divide["group"] == g["code"]]
        if own.empty:
            rows.append({"group": g["code"], "label": g["label"], "latest_economy_year": economy_year})
            continue
        last = own.loc[own["year"].idxmax()]
        world_rows = divide[(divide["group"] == world) & (divide["year"] == last["year"])]
        share = (100.0 * last["offline_people"] / world_rows["offline_people"].iloc[0]
                 if not world_rows.empty and world_rows["offline_people"].iloc[0] > 0 else float("nan"))
        rows.append({**last.to_dict(), "latest_year": int(last["year"]), "share_of_world_offline_pct": share,
                     "latest_economy_year": economy_year})
    out = pd.DataFrame(rows, columns=LATEST_COLUMNS)
    out["latest_year"] = out["latest_year"].astype("Int64")
    out["latest_economy_year"] = out["latest_economy_year"].astype("Int64")
    return out


def trend_table(divide: pd.DataFrame, every: int) -> pd.DataFrame:
    """The years divisible by ``every`` plus each group's latest year (the trend at a glance)."""
    latest = divide.groupby("group")["year"].transform("max")
    keep = (divide["year"] % every == 0) | (divide["year"] == latest)
    return divide.loc[keep, TREND_COLUMNS].reset_index(drop=True)


def build(internet_tidy: pd.DataFrame, population_tidy: pd.DataFrame, cfg: dict) -> dict[str, pd.DataFrame]:
    """All tables of the divide from the two tidy tables and the ``digital_divide`` config block."""
    codes = [g["code"] for g in cfg["groups"]]
    internet = aggregate_series(internet_tidy, cfg["internet"]["code"], codes, cfg["internet"]["dataset"])
    population = aggregate_series(population_tidy, cfg["population"]["code"], codes, cfg["population"]["dataset"])
    divide = divide_table(internet, population, cfg["groups"])
    economy_year = latest_economy_year(internet_tidy, cfg["internet"]["code"])
    return {"divide": divide,
            "latest": latest_table(divide, cfg["groups"], cfg["world"], economy_year),
            "trend": trend_table(divide, cfg["trend_every"])}


# ---------------------------------------------------------------------------------------------
# Report section (every number read from the results tables named in it)


def _billions(people) -> str:
    return fmt(people / 1e9, 2)


def section_markdown(latest: pd.DataFrame, trend: pd.DataFrame, world: str, *, years: dict | None = None,
                     tables=("results/tables/digital_divide_latest.csv", "results/tables/digital_divide_trend.csv"),
                     figure: str = "figures/digital_divide.png") -> str:
    """The report's "Digital divide" section from the latest and trend tables."""
    lines = ["## The digital divide", ""]
    w = latest[latest["group"] == world]
    if w.empty or pd.isna(w["latest_year"].iloc[0]):
        lines += [f"No World ({world}) values of internet use and population are available, so the number of "
                  f"people offline cannot be computed (`{tables[0]}`).", ""]
    else:
        w = w.iloc[0]
        lines += [f"In {int(w['latest_year'])}, {fmt(w['internet_pct'], 1)}% of the world's population used the "
                  f"internet, so {_billions(w['offline_people'])} billion people ({fmt(w['offline_pct'], 1)}%) "
                  f"were offline (population x (1 - share online / 100), World Bank aggregate {world}; "
                  f"`{tables[0]}`).", ""]
    groups = latest[(latest["group"] != world) & latest["latest_year"].notna()]
    if not groups.empty:
        parts = [f"{r['label']} {fmt(r['offline_pct'], 1)}% offline ({_billions(r['offline_people'])} bn, "
                 f"{int(r['latest_year'])})" for _, r in groups.iterrows()]
        lines += ["By World Bank income group: " + "; ".join(parts) + ".", ""]
    last_years = sorted({int(y) for y in latest["latest_year"].dropna()})
    economy = latest["latest_economy_year"].dropna()
    note = ("Latest year per group as shown (each group's own last year with both series: "
            f"{', '.join(map(str, last_years))})" if last_years else "No group has both series")
    if not economy.empty:
        note += f"; economies' internet data reach {int(economy.iloc[0])}"
    if years:
        note += f" (all years cut to the pipeline's window, config `years`: {years['start']}-{years['end']})"
    lines += [note + ".", ""]
    shown = latest[latest["latest_year"].notna()]
    table = pd.DataFrame({
        "group": shown["label"], "latest year": shown["latest_year"].astype(int),
        "internet use (%)": shown["internet_pct"].map(lambda v: fmt(v, 1)),
        "offline (%)": shown["offline_pct"].map(lambda v: fmt(v, 1)),
        "people offline (bn)": shown["offline_people"].map(_billions),
        "share of world offline (%)": shown["share_of_world_offline_pct"].map(lambda v: fmt(v, 1)),
    })
    lines += [markdown_table(table), ""]
    if not trend.empty:
        wide = trend.pivot(index="year", columns="label", values="offline_people") / 1e9
        order = [lbl for lbl in latest["label"] if lbl in wide.columns]
        wide = wide[order].reset_index()
        shown_trend = pd.DataFrame({"year": wide["year"].astype(int)})
        for label in order:
            shown_trend[f"{label} (bn offline)"] = wide[label].map(lambda v: fmt(v, 2))
        lines += [f"People offline over time (billions; `{tables[1]}`):", "", markdown_table(shown_trend), ""]
    lines += [f"![Internet use and people offline by World Bank income group]({figure})", ""]
    return "\n".join(lines)
