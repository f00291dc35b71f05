"""The Chinese provinces panel: NBS exports and the PKU index -> province-year panel ->
real GDP growth, Martin indices of the 2020 shock, pre-shock exposures -> models with the wild
cluster bootstrap.

Panel (long): ``PANEL_COLUMNS`` = unit (``CN11``...; ``CN`` = the nation), country ('CHN'),
year, series (the configured name, e.g. ``gdp``), value, flag ('compiled' when the value came
from a compiled, not a publisher, file), source (dataset id, per row). A series comes whole from
the first of its configured sources that is available and has data (so two GDP vintages never
mix), unless its config says ``combine: by_year``: then publisher files supply the years they
have and a compiled file only the years before them (``assemble_panel``); the provenance table
names the years each source supplied.

Real GDP. The GDP index (上年=100) is the NBS export for 2016-2024 (the years the file has) and,
before that, the compiled panel's index, whose rows are not dated as NBS dates them: checked
against published growth rates (Hubei's 2020 index 95.0 sits in its 2021 row), the rows
``index_lagged_rows`` hold the previous year's index and the other rows averages of two years. So
only those rows are used, each moved back one year, when the series is assembled (source option
``dating: previous_year``); ``index_alignment`` reports the evidence (cross-province correlation of
the compiled rows' log growth with nominal GDP growth from the NBS export and with the publisher's
index, same year vs previous year; the compiled rows as filed are the series ``gdp_index_compiled_rows``).
Real GDP at constant ``price_base_year`` prices: ``Y_i,b = nominal GDP_i,b`` and
``Y_i,t = Y_i,t-1 * I_i,t / 100`` forward, ``Y_i,t-1 = Y_i,t / (I_i,t / 100)`` backward
(``real_gdp_levels``); growth ``g = 100 ln(Y_t / Y_t-1) = 100 ln(I_t / 100)``.

National benchmark: the NBS ``全国`` row when the export has one (unit ``CN``), else the sum over
provinces (``resilience.measures.martin`` 'world_sum', balanced over each period's endpoints);
``benchmark_used`` says which.

Exposures (per episode, at ``exposure_year``): ``dfi`` = PKU digital financial inclusion index;
``sec_lq`` = secondary-industry share of GDP relative to the national share
``s_i / (sum_j s_j GDP_j / sum_j GDP_j)`` (the national share is the GDP-weighted mean of the
provincial shares, i.e. the provinces' secondary value added over their GDP); ``ind_lq`` = the same
for industrial value added (工业增加值, secondary industry less construction; publisher files from
2019 only); ``log_gdppc`` =
ln(GDP / year-end resident population), yuan per person.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.measures.composite import entropy_composite
from resilience.measures.growth import log_growth
from resilience.measures.martin import WORLD_SUM, martin_indices
from resilience.panels.china.provinces import NATIONAL_UNIT, code_to_unit, name_to_unit, province_table
from resilience.sources.parsers.nbs import COMPILED_FLAG
from resilience.tidy import Parsed

COUNTRY = "CHN"
# The province design (config ``panels.china.design``): province and year effects, bootstrap by
# province, exposures standardised within episode over the estimation sample.
DESIGN = {"fixed_effects": ["unit", "year"], "bootstrap_cluster": "unit", "standardize": True}
PANEL_COLUMNS = ["unit", "country", "year", "series", "value", "flag", "source"]
PROVENANCE_COLUMNS = ["series", "label", "dataset", "status", "kind", "rows", "units", "first_year", "last_year",
                      "years", "message"]
COVERAGE_COLUMNS = ["series", "source", "kind", "units", "first_year", "last_year", "observations", "missing_share"]
MODEL_COLUMNS = ["model", "term", "coef", "se", "t", "p", "p_boot", "ci_low_boot", "ci_high_boot", "nobs",
                 "n_clusters", "units", "years", "r2_within", "reps", "weights", "seed", "cov_type"]


# --- panel ------------------------------------------------------------------------------------------


def province_rows(parsed: Parsed, dataset: str, code: str, series: str, per: str | None = None) -> pd.DataFrame:
    """The rows of indicator ``code`` in one parsed file, as panel rows of ``series``.

    Provinces are identified by the publisher's code where the file has one, else by name;
    rows flagged 'compiled' by the parser keep that flag. With ``per`` (another indicator of the
    same file) the value is ``100 * code / per`` of the same province and year: a share in %, from
    levels the publisher printed side by side (a by-industry file's value added over its GDP).
    """
    table = parsed.table[parsed.table["series"] == code]
    if per is not None:
        denominator = parsed.table[parsed.table["series"] == per].set_index(["country_name", "year"])["value"]
        keys = pd.MultiIndex.from_frame(table[["country_name", "year"]])
        table = table.assign(value=100 * table["value"].to_numpy() / denominator.reindex(keys).to_numpy())
    if table.empty:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    coded = table["country_code"] != ""
    units = pd.Series(index=table.index, dtype="object")
    if coded.any():
        units[coded] = code_to_unit(table.loc[coded, "country_code"], what=f"{dataset} province codes").to_numpy()
    if (~coded).any():
        units[~coded] = name_to_unit(table.loc[~coded, "country_name"], what=f"{dataset} province names").to_numpy()
    flags = table["flags"].map(lambda f: COMPILED_FLAG if COMPILED_FLAG in str(f).split(";") else "")
    return pd.DataFrame({"unit": units.to_numpy(), "country": COUNTRY, "year": table["year"].to_numpy(),
                         "series": series, "value": table["value"].to_numpy(), "flag": flags.to_numpy(),
                         "source": dataset})[PANEL_COLUMNS]


def year_ranges(years) -> str:
    """'2014-2015, 2017' from a collection of years."""
    years, parts = sorted({int(y) for y in years}), []
    for year in years:
        if parts and year == parts[-1][1] + 1:
            parts[-1][1] = year
        else:
            parts.append([year, year])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in parts)


def _source_rows(parsed, source: dict, name: str, years: dict, lagged_rows) -> pd.DataFrame:
    rows = province_rows(parsed, source["dataset"], source["code"], name, per=source.get("per"))
    if source.get("dating") == "previous_year":
        # The compiled index's rows hold the previous year's index (rows outside index_lagged_rows are
        # two-year averages): re-date the usable rows before any year is compared with another source.
        if lagged_rows is None:
            raise InputError("china panel", f"series {name}: a source dated 'previous_year' needs "
                                            "index_lagged_rows", expected="panels.china.index_lagged_rows")
        first, last = lagged_rows
        rows = rows[rows["year"].between(first, last)]
        rows = rows.assign(year=rows["year"] - 1)
    return rows[rows["year"].between(years["start"], years["end"]) & rows["value"].notna()]


def assemble_panel(parsed: dict[str, Parsed | None], manifests: dict[str, dict], series_config: dict,
                   years: dict, lagged_rows: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(long panel, provenance).

    By default a series comes whole from the first available source with data (two vintages never
    mix). A series with ``combine: by_year`` is spliced by year instead: a source supplies only the
    years no earlier-listed source supplied, and a compiled source only years before the first year
    of every publisher source, so publisher years always win and compiled values only fill earlier
    years. A source with ``dating: previous_year`` is re-dated first (``lagged_rows``); a source with
    ``per`` gives a share (``province_rows``).

    ``parsed``: dataset id -> Parsed (None when the dataset is unavailable); ``manifests``: dataset
    id -> its raw manifest (for the 'unavailable' message). Provenance lists every configured
    source of every series with status used | not needed | unavailable | no data, and in ``years``
    the years it supplied (each panel row also names its source).
    """
    parts, provenance = [], []
    for name, spec in series_config.items():
        by_year = spec.get("combine") == "by_year"
        chosen, taken, publisher_first = None, set(), None
        candidates = []
        for source in spec["sources"]:
            dataset, code = source["dataset"], source["code"]
            row = {"series": name, "label": spec["label"], "dataset": dataset, "kind": "", "rows": 0, "units": 0,
                   "first_year": pd.NA, "last_year": pd.NA, "years": "", "message": ""}
            if chosen is not None and not by_year:
                provenance.append(row | {"status": "not needed", "message": f"{chosen} supplies the series"})
                continue
            if parsed.get(dataset) is None:
                message = manifests.get(dataset, {}).get("message") or "dataset unavailable"
                provenance.append(row | {"status": "unavailable", "message": message})
                continue
            rows = _source_rows(parsed[dataset], source, name, years, lagged_rows)
            if rows.empty:
                provenance.append(row | {"status": "no data", "message": f"no rows of {code!r} in {years['start']}-"
                                                                          f"{years['end']}"})
                continue
            kind = "compiled" if (rows["flag"] == COMPILED_FLAG).all() else "publisher"
            if kind == "publisher" and by_year:
                first = int(rows["year"].min())
                publisher_first = first if publisher_first is None else min(publisher_first, first)
            chosen = chosen or dataset
            candidates.append((row, source, rows, kind))
        for row, source, rows, kind in candidates:
            message = f"indicator {source['code']}" + (f" / {source['per']} x 100" if source.get("per") else "")
            if source.get("dating") == "previous_year":
                message += "; rows re-dated one year back (index_lagged_rows)"
            if by_year:
                keep = ~rows["year"].isin(taken)
                if kind == "compiled" and publisher_first is not None:
                    keep &= rows["year"] < publisher_first
                if not keep.any():
                    provenance.append(row | {"status": "not needed", "kind": kind,
                                             "message": "earlier-listed or publisher sources supply its years"})
                    continue
                rows = rows[keep]
                taken |= set(rows["year"])
            provenance.append(row | {"status": "used", "kind": kind, "rows": len(rows),
                                     "units": int(rows.loc[rows["unit"] != NATIONAL_UNIT, "unit"].nunique()),
                                     "first_year": int(rows["year"].min()), "last_year": int(rows["year"].max()),
                                     "years": year_ranges(rows["year"]), "message": message})
            parts.append(rows)
    panel = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PANEL_COLUMNS)
    panel = panel.astype({"year": "int64", "value": "float64"})
    duplicated = panel.duplicated(["unit", "year", "series"])
    if duplicated.any():
        first = panel.loc[duplicated, ["unit", "year", "series"]].iloc[0].to_dict()
        raise InputError("china panel", f"duplicate unit-year-series {first}", expected="one value per key")
    panel = panel.sort_values(["series", "unit", "year"], ignore_index=True)
    provenance = pd.DataFrame(provenance, columns=PROVENANCE_COLUMNS)
    order = {(s, d): i for i, (s, d) in enumerate((s, src["dataset"]) for s, sp in series_config.items()
                                                  for src in sp["sources"])}
    provenance = provenance.iloc[sorted(range(len(provenance)),
                                        key=lambda i: order[(provenance.at[i, "series"], provenance.at[i, "dataset"])])]
    return panel, provenance.reset_index(drop=True)


def footnote_table(parsed: dict[str, Parsed | None]) -> pd.DataFrame:
    """The header lines and footnotes each NBS file carries (kept verbatim)."""
    rows = [(dataset, i + 1, note) for dataset, p in sorted(parsed.items()) if p is not None
            for i, note in enumerate(p.notes)]
    return pd.DataFrame(rows, columns=["dataset", "line", "note"])


def coverage_table(panel: pd.DataFrame, years: dict) -> pd.DataFrame:
    """Per series: source, kind, provinces, first/last year, observations, missing share of 31 x years."""
    n_cells = len(province_table()) * (years["end"] - years["start"] + 1)
    rows = []
    for series, group in panel[panel["unit"] != NATIONAL_UNIT].groupby("series", sort=True):
        observed = group["value"].notna()
        compiled = group["flag"] == COMPILED_FLAG
        kind = "compiled" if compiled.all() else "publisher + compiled" if compiled.any() else "publisher"
        rows.append({"series": series, "source": ", ".join(sorted(set(group["source"]))), "kind": kind,
                     "units": int(group.loc[observed, "unit"].nunique()),
                     "first_year": int(group.loc[observed, "year"].min()),
                     "last_year": int(group.loc[observed, "year"].max()),
                     "observations": int(observed.sum()), "missing_share": 1 - observed.sum() / n_cells})
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def series_wide(panel: pd.DataFrame, series: str) -> pd.DataFrame:
    """unit x year table of one series (NaN where absent); an empty table if the series is absent."""
    rows = panel[panel["series"] == series]
    return rows.pivot(index="unit", columns="year", values="value")


# --- real GDP -----------------------------------------------------------------------------------------


def align_lagged_index(index: pd.DataFrame, lagged_rows: list[int]) -> pd.DataFrame:
    """Long unit, year, value of the index: rows in [first, last] of ``lagged_rows`` moved back one year,
    every other row dropped (see the module doc)."""
    first, last = lagged_rows
    kept = index[index["year"].between(first, last) & index["value"].notna()]
    return kept.assign(year=kept["year"] - 1)[["unit", "year", "value"]].reset_index(drop=True)


def index_alignment(index: pd.DataFrame, nominal: pd.DataFrame, publisher: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per index row-year t: correlation across provinces of 100 ln(I_t/100) with nominal log growth in
    t and in t-1 (and how many provinces). A lagged row correlates more with t-1. With ``publisher``
    (the publisher's index, dated by NBS) also the correlation of the row with the publisher's index
    of t and of t-1: the direct check of the dating where both exist."""
    real = index.assign(g=100 * np.log(index["value"] / 100)).pivot(index="unit", columns="year", values="g")
    nominal_growth = log_growth(nominal).pivot(index="unit", columns="year", values="growth")
    rows = []
    for year in sorted(real.columns):
        row = {"index_row": int(year), "corr_same_year": np.nan, "corr_previous_year": np.nan, "provinces": 0}
        for key, target in (("corr_same_year", year), ("corr_previous_year", year - 1)):
            if target in nominal_growth.columns:
                pair = pd.concat([real[year], nominal_growth[target]], axis=1, join="inner").dropna()
                row["provinces"] = max(row["provinces"], len(pair))
                if len(pair) > 2:
                    row[key] = float(pair.iloc[:, 0].corr(pair.iloc[:, 1]))
        if publisher is not None and len(publisher):
            wide = publisher.pivot(index="unit", columns="year", values="value")
            for key, target in (("corr_publisher_same_year", year), ("corr_publisher_previous_year", year - 1)):
                row[key] = np.nan
                if target in wide.columns:
                    pair = pd.concat([real[year], 100 * np.log(wide[target] / 100)], axis=1, join="inner").dropna()
                    if len(pair) > 2:
                        row[key] = float(pair.iloc[:, 0].corr(pair.iloc[:, 1]))
        rows.append(row)
    return pd.DataFrame(rows)


def real_gdp_levels(nominal: pd.DataFrame, index: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Long unit, year, value: real GDP at ``base_year`` prices chained from the (aligned) index.

    A unit needs nominal GDP in ``base_year``; the chain stops at the first missing index year
    on either side of the base year.
    """
    base = nominal[nominal["year"] == base_year].set_index("unit")["value"].dropna()
    growth = index.pivot(index="unit", columns="year", values="value") / 100
    rows = []
    for unit, level in base.items():
        rows.append((unit, base_year, float(level)))
        if unit not in growth.index:
            continue
        factors = growth.loc[unit]
        current, year = float(level), base_year
        while year + 1 in factors.index and pd.notna(factors.get(year + 1)):
            year += 1
            current *= float(factors[year])
            rows.append((unit, year, current))
        current, year = float(level), base_year
        while year in factors.index and pd.notna(factors.get(year)):
            current /= float(factors[year])
            year -= 1
            rows.append((unit, year, current))
    out = pd.DataFrame(rows, columns=["unit", "year", "value"])
    return out.sort_values(["unit", "year"], ignore_index=True)


def long_series(panel: pd.DataFrame, series: str) -> pd.DataFrame:
    rows = panel.loc[(panel["series"] == series) & panel["value"].notna(), ["unit", "year", "value"]]
    return rows.reset_index(drop=True)


def outcome_levels(panel: pd.DataFrame, settings: dict) -> dict[str, pd.DataFrame]:
    """Level series the measures use: 'real_gdp' (chained, aligned index) and 'nominal_gdp'."""
    nominal = long_series(panel, "gdp")
    levels = {"nominal_gdp": nominal}
    # The panel's index is dated by the year it measures: the compiled rows were re-dated when the
    # series was spliced (assemble_panel), so no row is moved here.
    index = long_series(panel, "gdp_index")
    if not nominal.empty and not index.empty:
        levels["real_gdp"] = real_gdp_levels(nominal, index, settings["price_base_year"])
    return levels


def growth_table(panel: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Wide unit, year, g_gdp (real), g_gdp_nominal, g_emp (100 x log growth; NaN where not computable)."""
    levels = outcome_levels(panel, settings)
    sources = {"g_gdp": levels.get("real_gdp"), "g_gdp_nominal": levels.get("nominal_gdp"),
               "g_emp": long_series(panel, "urban_unit_employment")}
    out = None
    for name, lv in sources.items():
        if lv is None or lv.empty:
            part = pd.DataFrame(columns=["unit", "year", name])
        else:
            part = log_growth(lv).rename(columns={"growth": name})
        out = part if out is None else out.merge(part, on=["unit", "year"], how="outer")
    out = out[out["unit"] != NATIONAL_UNIT].astype({"year": "int64"})
    return out.sort_values(["unit", "year"], ignore_index=True)


# --- Martin indices and exposures -------------------------------------------------------------------------


def benchmark_used(levels: pd.DataFrame) -> str:
    """'national' when the levels hold the NBS national row (全国), else 'sum of provinces'."""
    return "national (全国)" if (levels["unit"] == NATIONAL_UNIT).any() else "sum of provinces"


def martin_table(levels_by_outcome: dict[str, pd.DataFrame], episode: dict) -> pd.DataFrame:
    """Martin resistance and recovery per province for every outcome level series, against the national
    benchmark (the 全国 row if present, else the balanced sum of provinces)."""
    parts = []
    for outcome, levels in sorted(levels_by_outcome.items()):
        if levels.empty:
            continue
        provinces = sorted(set(levels["unit"]) - {NATIONAL_UNIT})
        benchmark = NATIONAL_UNIT if NATIONAL_UNIT in set(levels["unit"]) else WORLD_SUM
        table = martin_indices(levels, [episode], benchmark, members=provinces)
        table = table[table["unit"] != NATIONAL_UNIT]
        parts.append(table.assign(outcome=outcome, benchmark=benchmark_used(levels)))
    columns = ["outcome", "unit", "episode", "phase", "g_unit", "g_ref", "index_ratio", "index_pp", "benchmark"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns].sort_values(["outcome", "phase", "unit"], ignore_index=True)


def exposure_table(panel: pd.DataFrame, episode: dict) -> pd.DataFrame:
    """Long unit, episode, variable, value: dfi, sec_lq, ind_lq and log_gdppc at the episode's exposure year
    (a variable whose series is absent that year is left out)."""
    year = episode["exposure_year"]
    provinces = province_table()["unit"]
    at = {s: series_wide(panel, s).get(year, pd.Series(dtype="float64")).reindex(provinces)
          for s in ("dfi_index", "secondary_share", "industrial_share", "gdp", "population")}

    def national(share):
        both = pd.concat([share, at["gdp"]], axis=1, keys=["share", "gdp"]).dropna()
        return float((both["share"] * both["gdp"]).sum() / both["gdp"].sum()) if len(both) else np.nan

    national_share, national_industrial = national(at["secondary_share"]), national(at["industrial_share"])
    values = {"dfi": at["dfi_index"], "sec_lq": at["secondary_share"] / national_share,
              "ind_lq": at["industrial_share"] / national_industrial,
              "log_gdppc": np.log(at["gdp"] * 1e8 / (at["population"] * 1e4))}
    rows = [(unit, episode["name"], variable, float(series.get(unit, np.nan)))
            for variable, series in values.items() for unit in provinces]
    out = pd.DataFrame(rows, columns=["unit", "episode", "variable", "value"])
    out.attrs["national_secondary_share"] = national_share
    out.attrs["national_industrial_share"] = national_industrial
    return out.dropna(subset=["value"]).reset_index(drop=True)


def digital_info(exposures: pd.DataFrame, episode: dict) -> pd.DataFrame:
    """The digital exposure's info in the layout of ``measures.digital.INFO_COLUMNS``: one indicator,
    the PKU aggregate index (exposure ``dfi``), used as it is; with one indicator there is no composite."""
    from resilience.measures.digital import INFO_COLUMNS
    provinces = exposures.loc[exposures["variable"] == "dfi", "unit"].nunique()
    coverage = provinces / len(province_table())
    row = {"episode": episode["name"], "indicator": "dfi_index", "coverage": coverage, "included": provinces > 0,
           "reason": "" if provinces else "no PKU index value at the exposure year", "entropy_weight": np.nan,
           "pca_loading": np.nan, "pca_explained": np.nan, "n_complete": int(provinces),
           "composite_notes": "one indicator (the PKU aggregate index, exposure dfi): no composite"}
    return pd.DataFrame([row], columns=INFO_COLUMNS)


def national_secondary_share(panel: pd.DataFrame) -> pd.DataFrame:
    """Per year: the GDP-weighted mean of provincial secondary shares (provinces with both series)."""
    share, gdp = series_wide(panel, "secondary_share"), series_wide(panel, "gdp")
    rows = []
    for year in sorted(set(share.columns) & set(gdp.columns)):
        both = pd.concat([share[year], gdp[year]], axis=1, keys=["s", "g"]).dropna()
        if len(both):
            rows.append({"year": int(year), "national_share": float((both["s"] * both["g"]).sum() / both["g"].sum()),
                         "provinces": len(both)})
    return pd.DataFrame(rows, columns=["year", "national_share", "provinces"])


# --- composite (entropy weights) ---------------------------------------------------------------------


def composite_frame(panel: pd.DataFrame, growth: pd.DataFrame, composite: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit, year, resilience_index, digital_index, sec_lq) and the entropy weights of both indices.

    Entropy weights (``resilience.measures.composite``) pooled over province-years with every
    component present. Resilience components are growth columns; digital components panel series.
    ``sec_lq`` here varies by year (share over that year's national share).
    """
    frame = growth[["unit", "year", *composite["resilience_components"]]].copy()
    for series in composite["digital_components"]:
        frame = frame.merge(long_series(panel, series).rename(columns={"value": series}), on=["unit", "year"],
                            how="left")
    national = national_secondary_share(panel).set_index("year")["national_share"]
    share = long_series(panel, "secondary_share").rename(columns={"value": "share"})
    frame = frame.merge(share, on=["unit", "year"], how="left")
    frame["sec_lq"] = frame["share"] / frame["year"].map(national)
    weights = []
    for name, components in (("resilience_index", composite["resilience_components"]),
                             ("digital_index", composite["digital_components"])):
        index, w = entropy_composite(frame[list(components)])
        frame[name] = index
        weights.append(pd.DataFrame({"index": name, "component": w.index, "weight": w.to_numpy()}))
    out = frame[["unit", "year", "resilience_index", "digital_index", "sec_lq"]]
    return out.sort_values(["unit", "year"], ignore_index=True), pd.concat(weights, ignore_index=True)


__all__ = ["COUNTRY", "PANEL_COLUMNS", "align_lagged_index", "assemble_panel", "composite_frame", "coverage_table",
           "digital_info", "exposure_table", "footnote_table", "growth_table", "index_alignment", "martin_table", "outcome_levels",
           "real_gdp_levels"]
