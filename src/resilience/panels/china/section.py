"""The report section of the Chinese provinces panel: a pure function of its results tables.

Every number printed is read from the tables passed in, each named in the text by its file under
``results/tables/`` (or ``results/models/``).
"""

from __future__ import annotations

import pandas as pd

from resilience.panels.china.measures import year_ranges
from resilience.panels.china.provinces import province_table
from resilience.report.text import fmt, fmt_p, markdown_table

TITLE = "## Chinese provinces"
FIGURES = {"china_resistance_terciles": "2020 resistance and 2021-2022 recovery by tercile of pre-shock digital "
                                        "finance and of secondary-industry concentration",
           "china_coverage": "Coverage of the province panel (share of 31 provinces observed)"}
OUTCOME_LABELS = {"real_gdp": "real GDP (chained GDP index)", "nominal_gdp": "nominal GDP (NBS export)"}


def china_section(tables: dict[str, pd.DataFrame], notes: dict, settings: dict) -> str:
    """Markdown of the section. ``tables``: provenance, coverage, martin, models, alignment, weights,
    footnotes (the china_* results tables); ``notes``: results/models/china_models.json;
    ``settings``: the ``panels.china`` config block."""
    lines = [TITLE, ""]
    lines += _sources(tables["provenance"])
    lines += _coverage(tables["coverage"])
    lines += _index_check(tables["alignment"], tables["provenance"], settings)
    lines += _resistance(tables["martin"], settings["episode"])
    lines += _models(tables["models"], notes, settings)
    lines += _industry(tables["models"], tables["provenance"])
    lines += _composite(tables["weights"])
    lines += [f"![{caption}](figures/{name}.png)" for name, caption in FIGURES.items()] + [""]
    lines += _footnotes(tables["footnotes"])
    return "\n".join(lines).rstrip() + "\n"


def _with_years(provenance: pd.DataFrame) -> pd.DataFrame:
    """The provenance table with ``years`` (a table written before that column existed: first-last)."""
    if "years" in provenance:
        return provenance
    span = [f"{int(a)}-{int(b)}" if pd.notna(a) else "" for a, b in zip(provenance["first_year"],
                                                                         provenance["last_year"])]
    return provenance.assign(years=span)


def _union_years(ranges) -> str:
    """'2019-2024' from the provenance's per-source year ranges ('2019', '2020', ... or '2014-2015, 2017')."""
    years = set()
    for text in ranges:
        for part in filter(None, (p.strip() for p in str(text).split(","))):
            a, _, b = part.partition("-")
            years |= set(range(int(a), int(b or a) + 1))
    return year_ranges(years) if years else ""


def _sources(provenance: pd.DataFrame) -> list[str]:
    provenance = _with_years(provenance)
    used = provenance[provenance["status"] == "used"]
    lines = ["Sources (`results/tables/china_provenance.csv`, column `years`: the years each source supplied): "
             "a series comes whole from the first configured source that is available and has data, except the "
             "series spliced by year, where publisher files supply the years they have and a compiled file only "
             "the years before them."]
    spliced = set(used.loc[used.duplicated("series", keep=False), "series"])
    for kind, text in (("publisher", "From publisher files (NBS 分省年度数据 exports)"),
                       ("compiled", "From compiled files, not publisher files, because no publisher file in the "
                                    "mirror has these series or years")):
        rows = used[(used["kind"] == kind) & ~used["series"].isin(spliced)]
        if len(rows):
            items = "; ".join(f"{r.series} ({r.dataset}, {int(r.units)} provinces, "
                              f"{int(r.first_year)}-{int(r.last_year)})" for r in rows.itertuples())
            lines.append(f"- {text}: {items}.")
    for series in sorted(spliced):
        rows = used[used["series"] == series]
        parts = []
        for kind in ("publisher", "compiled"):
            part = rows[rows["kind"] == kind]
            if len(part):
                parts.append(f"{kind} {_union_years(part['years'])} ({', '.join(part['dataset'])})")
        lines.append(f"- {series}, spliced by year: " + "; ".join(parts) + ".")
    missing = sorted(set(provenance["series"]) - set(used["series"]))
    if missing:
        lines.append(f"- Unavailable (no source with data; the measures that need them are left out): "
                     f"{', '.join(missing)}.")
    return lines + [""]


def _coverage(coverage: pd.DataFrame) -> list[str]:
    if coverage.empty:
        return ["No province series is available.", ""]
    shown = coverage.assign(missing_share=coverage["missing_share"].map(lambda v: fmt(100 * v, 1) + "%"))
    return ["Coverage (`results/tables/china_coverage.csv`; missing share of 31 provinces x configured years):", "",
            markdown_table(shown), ""]


def _index_check(alignment: pd.DataFrame, provenance: pd.DataFrame, settings: dict) -> list[str]:
    first, last = settings["index_lagged_rows"]
    provenance = _with_years(provenance)
    used = provenance[(provenance["series"] == "gdp_index") & (provenance["status"] == "used")]
    publisher, compiled = used[used["kind"] == "publisher"], used[used["kind"] == "compiled"]
    text = "Real GDP growth is 100 ln(I/100) of the GDP index (上年=100)."
    if len(publisher):
        text += f" The index is the NBS export's for {_union_years(publisher['years'])}."
    if len(compiled):
        text += (f" Before that it is the compiled panel's ({_union_years(compiled['years'])}): its rows {first}-{last} "
                 f"hold the previous year's index (other rows are averages of two years), so only those rows are "
                 f"used, moved back one year (config `panels.china.index_lagged_rows`), and only for years the "
                 f"publisher file lacks.")
    lines = [text]
    checked = alignment[alignment["index_row"].between(first, last)].dropna(subset=["corr_same_year"])
    if len(checked):
        same, previous = checked["corr_same_year"].mean(), checked["corr_previous_year"].mean()
        lines[-1] += (f" Check of the compiled rows (`results/tables/china_index_alignment.csv`): their growth "
                      f"correlates with nominal GDP growth of the previous year at {fmt(previous)} on average and "
                      f"of the same year at {fmt(same)}")
        if "corr_publisher_previous_year" in checked and checked["corr_publisher_previous_year"].notna().any():
            both = checked.dropna(subset=["corr_publisher_previous_year"])
            lines[-1] += (f"; with the publisher's index of the previous year at "
                          f"{fmt(both['corr_publisher_previous_year'].mean())} and of the same year at "
                          f"{fmt(both['corr_publisher_same_year'].mean())} (rows {int(both['index_row'].min())}-"
                          f"{int(both['index_row'].max())})")
        lines[-1] += "."
    return lines + [""]


def _industry(models: pd.DataFrame, provenance: pd.DataFrame) -> list[str]:
    """Why the industrial LQ is reported beside the secondary LQ, with both models' shock terms."""
    provenance = _with_years(provenance)
    used = provenance[(provenance["series"] == "industrial_share") & (provenance["status"] == "used")]
    if used.empty:
        return []
    lines = [f"Industrial value added (工业增加值, from the by-industry publisher files, {_union_years(used['years'])}) "
             "is the secondary sector less construction, so its location quotient (`ind_lq`, the 2019 share over "
             "the national share) measures the exposure to the 2020 factory shutdowns and supply-chain breaks "
             "without the building cycle; model china_real_gdp_industry uses it in place of `sec_lq`."]
    terms = models[models["term"].str.contains("_x_sec_lq|_x_ind_lq", regex=True) &
                   models["model"].isin(["china_real_gdp", "china_real_gdp_industry"])]
    if len(terms):
        lines[-1] += " Shock terms (`results/tables/china_models.csv`): " + "; ".join(
            f"{r.term} {fmt(r.coef)} (p {fmt_p(r.p)}, bootstrap p {fmt_p(r.p_boot)})" for r in terms.itertuples()) + "."
    return lines + [""]


def _resistance(martin: pd.DataFrame, episode: dict) -> list[str]:
    if martin.empty:
        return ["No Martin indices: the GDP series are unavailable.", ""]
    names = province_table().set_index("unit")["name_en"]
    (c0, c1), (r0, r1) = episode["contraction"], episode["recovery"]
    lines = [f"Resistance ({c0}-{c1}) and recovery ({r0}-{r1}), Martin indices in percentage points against the "
             f"national benchmark (`results/tables/china_martin.csv`):", ""]
    for outcome, group in martin.groupby("outcome", sort=True):
        for phase in ("resistance", "recovery"):
            rows = group[(group["phase"] == phase) & group["index_pp"].notna()]
            if rows.empty:
                continue
            low, high = rows.loc[rows["index_pp"].idxmin()], rows.loc[rows["index_pp"].idxmax()]
            lines.append(
                f"- {OUTCOME_LABELS.get(outcome, outcome)}, {phase}: benchmark ({rows['benchmark'].iloc[0]}) grew "
                f"{fmt(rows['g_ref'].iloc[0])}%; {len(rows)} provinces, mean {fmt(rows['index_pp'].mean())} pp, "
                f"median {fmt(rows['index_pp'].median())} pp, {int((rows['index_pp'] > 0).sum())} above the "
                f"benchmark; lowest {names.get(low['unit'], low['unit'])} ({fmt(low['index_pp'])} pp, growth "
                f"{fmt(low['g_unit'])}%), highest {names.get(high['unit'], high['unit'])} "
                f"({fmt(high['index_pp'])} pp).")
    return lines + [""]


def _models(models: pd.DataFrame, notes: dict, settings: dict) -> list[str]:
    boot = settings["bootstrap"]
    lines = [f"Models (`results/tables/china_models.csv`, notes in `results/models/china_models.json`): province "
             f"and year effects, exposures standardised over the estimation sample (coefficients in pp of growth "
             f"per standard deviation), CR1 errors clustered by province with t(G-1) p-values, and wild cluster "
             f"bootstrap p-values (restricted, null imposed; {boot['weights']} weights, {boot['reps']} draws, seed "
             f"{boot['seed']}; CI by test inversion).", ""]
    if len(models):
        shown = models[["model", "term", "coef", "se", "p", "p_boot", "ci_low_boot", "ci_high_boot", "nobs",
                        "n_clusters", "years"]]
        lines += [markdown_table(shown), ""]
    skipped = [f"- {name}: not estimated ({note['skipped']})." for name, note in sorted(notes.items())
               if "skipped" in note]
    return lines + skipped + ([""] if skipped else [])


def _composite(weights: pd.DataFrame) -> list[str]:
    if weights.empty:
        return []
    parts = [f"{index}: " + ", ".join(f"{r.component} {fmt(r.weight, 3)}" for r in rows.itertuples())
             for index, rows in weights.groupby("index", sort=True)]
    return ["Composite indices of the Chinese literature (entropy weights pooled over province-years, "
            "`results/tables/china_composite_weights.csv`): " + "; ".join(parts) + ". Their regression is the "
            "model china_composite above.", ""]


def _footnotes(footnotes: pd.DataFrame) -> list[str]:
    notes = footnotes[footnotes["note"].str.startswith("注")]
    if notes.empty:
        return []
    lines = ["Publisher footnotes kept from the NBS files (`results/tables/china_footnotes.csv`):", ""]
    lines += [f"- {r.dataset}: {r.note}" for r in notes.itertuples()]
    return lines + [""]
