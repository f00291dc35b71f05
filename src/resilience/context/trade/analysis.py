"""Trade diversion: US goods imports from China, Mexico, Viet Nam and India.

From the parsed trade tables (``resilience.sources.parsers.trade``):

- partner imports by year and by quarter (quarters and years only when all their months are
  published), each partner's ratio to imports from China, and its share of all US imports;
- China's share of US imports overall and by HS section (HS chapters -> the 21 sections of
  ``config/hs_sections.csv``; chapter 77 is reserved inside section XV; chapters outside the
  sections, the US national 98-99, form 'other')
  in the base year and the latest year, with the change in percentage points;
- the mirror check: US-reported imports from China beside China-reported exports to the US.

Each series comes whole from the first available source in the configured order (never
spliced). Without HS detail (the mirror has none; it comes from the live Census or Comtrade
APIs) the section rows say so and carry no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from resilience.context.trade.checks import (  # noqa: F401  (re-exported: one import for scripts and tests)
    SECTION_COLUMNS, WORLD, check_config, read_hs_sections, trade_datasets)
from resilience.report.text import fmt, markdown_table
from resilience.sources.parsers.trade import parse_trade
from resilience.sources.raw import raw_file

WORLD_LABEL = "World (all partners)"
US_COMTRADE = "842"   # Comtrade's code of the USA as reporter and partner (not ISO 840)
BN = 1e9
NEEDS_LIVE = "needs the live source"

FORMAT_FAMILY = {"census_country_xlsx": "census_workbook", "census_api_json": "census_api",
                 "comtrade_csv": "comtrade", "comtrade_api_json": "comtrade"}

ANNUAL_COLUMNS = ["source", "partner", "label", "year", "months", "imports_usd_bn", "ratio_to_china",
                  "share_of_us_imports_pct"]
QUARTERLY_COLUMNS = ["source", "partner", "label", "year", "quarter", "period", "imports_usd_bn", "ratio_to_china",
                     "share_of_us_imports_pct"]
SHARE_COLUMNS = ["scope", "section", "title", "chapters", "source", "base_year", "latest_year",
                 "china_base_usd_bn", "world_base_usd_bn", "share_base_pct", "china_latest_usd_bn",
                 "world_latest_usd_bn", "share_latest_pct", "change_pp", "status"]
MIRROR_COLUMNS = ["year", "us_reported_imports_usd_bn", "china_reported_exports_usd_bn", "gap_pct"]
SOURCE_COLUMNS = ["dataset", "role", "status", "mode", "format", "file", "vintage", "sha256", "used", "message"]
REVISION_COLUMNS = ["partner", "label", "year", "month", "period", "previous_usd_m", "current_usd_m", "revision_usd_m",
                    "revision_pct", "previous_source", "current_source"]
LARGEST_COLUMNS = ["source", "year", "rank", "partner_code", "partner_name", "imports_usd_bn", "share_of_us_imports_pct"]
COVERAGE_COLUMNS = ["source", "first_month", "last_month", "last_complete_quarter", "last_complete_year",
                    "incomplete_quarter", "months_in_incomplete_quarter"]
MILLION = 1e6
# The workbook publishes millions of US$ with one decimal: a difference below half of that last
# digit is float noise in the sums, not a revision.
REVISION_TOLERANCE_M = 0.05
LARGEST_TOP = 3


@dataclass
class TradeSource:
    """One catalog dataset as the trade rule sees it: its manifest and, if available, its table."""

    dataset: str
    manifest: dict
    table: pd.DataFrame | None = None

    @property
    def available(self) -> bool:
        return self.table is not None

    @property
    def family(self) -> str:
        return FORMAT_FAMILY.get(self.manifest.get("format") or "", "")


@dataclass
class TradeResults:
    annual: pd.DataFrame
    quarterly: pd.DataFrame
    china_share: pd.DataFrame
    mirror: pd.DataFrame
    sources: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    revisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVISION_COLUMNS))
    largest: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LARGEST_COLUMNS))
    coverage: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COVERAGE_COLUMNS))


def chapter_sections(sections: pd.DataFrame) -> dict[int, str]:
    return {ch: row.section for row in sections.itertuples(index=False)
            for ch in range(int(row.first_chapter), int(row.last_chapter) + 1)}


def partner_codes(cfg: dict, family: str) -> dict[str, str]:
    """Publisher partner code -> ISO3 (and WLD for the world total) for a source family."""
    key = "comtrade" if family == "comtrade" else "census"
    codes = {str(p[key]): p["iso3"] for p in cfg["partners"]}
    codes[str(cfg["world"][family])] = WORLD
    return codes


def labels(cfg: dict) -> dict[str, str]:
    return {**{p["iso3"]: p["label"] for p in cfg["partners"]}, WORLD: WORLD_LABEL}


# ---------------------------------------------------------------------------------------------
# Partner imports


def us_imports(table: pd.DataFrame, codes: dict[str, str], *, commodity: str | None = "TOTAL") -> pd.DataFrame:
    """US imports (reporter USA, flow M) from the partners in ``codes``: [partner, year, month, commodity, value_usd]."""
    rows = table[(table["reporter"] == "USA") & (table["flow"] == "M") & table["partner_code"].isin(list(codes))]
    if commodity is not None:
        rows = rows[rows["commodity"] == commodity]
    out = rows.assign(partner=rows["partner_code"].map(codes))[["partner", "year", "month", "commodity", "value_usd"]]
    return out.sort_values(["partner", "year", "month", "commodity"]).reset_index(drop=True)


def complete_periods(monthly: pd.DataFrame, months_per_period: int) -> pd.DataFrame:
    """Sums over quarters (3) or years (12) of a monthly [partner, year, month, value_usd] table,
    keeping only the periods in which the partner has every month."""
    if months_per_period not in (3, 12):
        raise ValueError("months_per_period must be 3 (quarters) or 12 (years)")
    data = monthly[monthly["month"].between(1, 12)].copy()
    data["quarter"] = (data["month"] - 1) // 3 + 1 if months_per_period == 3 else 0
    grouped = data.groupby(["partner", "year", "quarter"], as_index=False).agg(
        value_usd=("value_usd", "sum"), months=("month", "nunique"))
    return grouped[grouped["months"] == months_per_period].reset_index(drop=True)


def add_ratios(periods: pd.DataFrame, keys: list[str], china: str) -> pd.DataFrame:
    """Each partner's imports over China's, and over all US imports (%), within the same ``keys``."""
    out = periods.copy()
    china_values = out[out["partner"] == china].set_index(keys)["value_usd"]
    world_values = out[out["partner"] == WORLD].set_index(keys)["value_usd"]
    index = pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else pd.Index(out[keys[0]])
    out["ratio_to_china"] = out["value_usd"].to_numpy() / china_values.reindex(index).to_numpy()
    out.loc[out["partner"] == WORLD, "ratio_to_china"] = np.nan
    out["share_of_us_imports_pct"] = 100.0 * out["value_usd"].to_numpy() / world_values.reindex(index).to_numpy()
    return out


def _order(frame: pd.DataFrame, cfg: dict, by: list[str]) -> pd.DataFrame:
    rank = {p["iso3"]: i for i, p in enumerate(cfg["partners"])}
    rank[WORLD] = len(rank)
    return (frame.assign(_rank=frame["partner"].map(rank)).sort_values(["source", "_rank"] + by, kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def load_sources(raw_dirs: dict[str, str]) -> dict[str, TradeSource]:
    """Each dataset's manifest and, where its status is 'ok', its parsed trade table."""
    loaded = {}
    for name, raw_dir in raw_dirs.items():
        # raw_file checks the bytes against the sha256 the manifest recorded, as for every other source
        path, manifest = raw_file(raw_dir)
        table = parse_trade(manifest["format"], path) if path is not None else None
        loaded[name] = TradeSource(name, manifest, table)
    return loaded


def first_available(sources: dict[str, TradeSource], names: list[str]) -> TradeSource | None:
    for name in names:
        if name in sources and sources[name].available:
            return sources[name]
    return None


def monthly_tables(source: TradeSource, cfg: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(annual, quarterly) tables from a monthly source, from ``first_year`` on."""
    monthly = us_imports(source.table, partner_codes(cfg, source.family))
    monthly = monthly[monthly["year"] >= cfg["first_year"]]
    names = labels(cfg)
    annual = add_ratios(complete_periods(monthly, 12), ["year"], cfg["china"])
    annual = annual.assign(source=source.dataset, label=annual["partner"].map(names),
                           imports_usd_bn=annual["value_usd"] / BN)
    quarterly = add_ratios(complete_periods(monthly, 3), ["year", "quarter"], cfg["china"])
    quarterly = quarterly.assign(source=source.dataset, label=quarterly["partner"].map(names),
                                 imports_usd_bn=quarterly["value_usd"] / BN,
                                 period=[f"{y}Q{q}" for y, q in zip(quarterly["year"], quarterly["quarter"])])
    return (_order(annual[ANNUAL_COLUMNS], cfg, ["year"]),
            _order(quarterly[QUARTERLY_COLUMNS], cfg, ["year", "quarter"]))


def annual_source_table(source: TradeSource, cfg: dict) -> pd.DataFrame:
    """Annual US imports by partner as an annual source (Comtrade) reports them."""
    data = us_imports(source.table, partner_codes(cfg, source.family))
    data = data[(data["month"] == 0) & (data["year"] >= cfg["first_year"])]
    data = add_ratios(data.assign(quarter=0), ["year"], cfg["china"])
    data = data.assign(source=source.dataset, label=data["partner"].map(labels(cfg)), months=np.nan,
                       imports_usd_bn=data["value_usd"] / BN)
    return _order(data[ANNUAL_COLUMNS], cfg, ["year"])


def mirror_table(us_source: TradeSource | None, china_source: TradeSource | None, china_code: str) -> pd.DataFrame:
    """US-reported imports from China beside China-reported exports to the US (Comtrade), by year."""
    if us_source is None or china_source is None:
        return pd.DataFrame(columns=MIRROR_COLUMNS)
    us = us_source.table
    us = us[(us["reporter"] == "USA") & (us["flow"] == "M") & (us["partner_code"] == china_code)
            & (us["month"] == 0) & (us["commodity"] == "TOTAL")].set_index("year")["value_usd"]
    cn = china_source.table
    cn = cn[(cn["reporter"] == "CHN") & (cn["flow"] == "X") & (cn["partner_code"] == US_COMTRADE)
            & (cn["month"] == 0) & (cn["commodity"] == "TOTAL")].set_index("year")["value_usd"]
    both = pd.concat({"us": us, "cn": cn}, axis=1, join="inner").sort_index()
    return pd.DataFrame({"year": both.index.astype("int64"), "us_reported_imports_usd_bn": both["us"].to_numpy() / BN,
                         "china_reported_exports_usd_bn": both["cn"].to_numpy() / BN,
                         "gap_pct": 100.0 * (both["us"].to_numpy() / both["cn"].to_numpy() - 1.0)})


def monthly_coverage(source: TradeSource, cfg: dict, quarterly: pd.DataFrame) -> pd.DataFrame:
    """First (from ``first_year``) and last reported month of US imports from the world in a monthly source, its last complete
    quarter and year, and the quarter in progress (if any) with how many of its months are reported."""
    world = us_imports(source.table, {str(cfg["world"][source.family]): WORLD})
    world = world[world["month"].between(1, 12) & (world["year"] >= cfg["first_year"])]
    if world.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    ym = sorted(zip(world["year"], world["month"]))
    (y0, m0), (y1, m1) = ym[0], ym[-1]
    q = quarterly[quarterly["source"] == source.dataset].sort_values(["year", "quarter"])
    done = complete_periods(world.assign(partner=WORLD), 12)
    in_quarter = m1 - 3 * ((m1 - 1) // 3)
    return pd.DataFrame([{
        "source": source.dataset, "first_month": f"{y0}-{m0:02d}", "last_month": f"{y1}-{m1:02d}",
        "last_complete_quarter": q["period"].iloc[-1] if len(q) else "",
        "last_complete_year": int(done["year"].max()) if len(done) else pd.NA,
        "incomplete_quarter": f"{y1}Q{(m1 - 1) // 3 + 1}" if in_quarter < 3 else "",
        "months_in_incomplete_quarter": in_quarter if in_quarter < 3 else 0}], columns=COVERAGE_COLUMNS)


def largest_partners(source: TradeSource, cfg: dict, top: int = LARGEST_TOP) -> pd.DataFrame:
    """The ``top`` single countries (``country_codes``) by US imports in each complete year of a
    Census monthly source, with their share of imports from the world."""
    table = source.table
    rows = table[(table["reporter"] == "USA") & (table["flow"] == "M") & (table["commodity"] == "TOTAL")
                 & table["month"].between(1, 12) & (table["year"] >= cfg["first_year"])]
    countries = rows[rows["partner_code"].astype(str).str.match(cfg["country_codes"])]
    annual = complete_periods(countries.assign(partner=countries["partner_code"]), 12)
    world = us_imports(table, {str(cfg["world"][source.family]): WORLD})
    world = complete_periods(world[world["year"] >= cfg["first_year"]], 12).set_index("year")["value_usd"]
    annual = annual[annual["year"].isin(world.index)]
    if annual.empty:
        return pd.DataFrame(columns=LARGEST_COLUMNS)
    names = countries.sort_values("year").groupby("partner_code")["partner_name"].last()
    annual = annual.sort_values(["year", "value_usd"], ascending=[True, False], kind="stable")
    annual["rank"] = annual.groupby("year").cumcount() + 1
    annual = annual[annual["rank"] <= top]
    return pd.DataFrame({
        "source": source.dataset, "year": annual["year"].astype("int64"), "rank": annual["rank"].astype("int64"),
        "partner_code": annual["partner"], "partner_name": annual["partner"].map(names),
        "imports_usd_bn": annual["value_usd"] / BN,
        "share_of_us_imports_pct": 100.0 * annual["value_usd"].to_numpy() / world.reindex(annual["year"]).to_numpy(),
    }, columns=LARGEST_COLUMNS).reset_index(drop=True)


def revision_table(previous: TradeSource | None, current: TradeSource | None, cfg: dict) -> pd.DataFrame:
    """Monthly values and complete-year totals of ``revisions.years`` for the partners and the world
    that differ between two vintages of the Census workbook (US$ million, the workbook's unit)."""
    if previous is None or current is None:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    first, last = cfg["revisions"]["years"]

    def values(src: TradeSource) -> pd.DataFrame:
        monthly = us_imports(src.table, partner_codes(cfg, src.family))
        monthly = monthly[monthly["year"].between(first, last)][["partner", "year", "month", "value_usd"]]
        years = complete_periods(monthly, 12).assign(month=0)[["partner", "year", "month", "value_usd"]]
        out = pd.concat([monthly, years], ignore_index=True)
        return out.assign(value_m=(out["value_usd"] / MILLION).round(1)).drop(columns="value_usd")

    both = values(previous).merge(values(current), on=["partner", "year", "month"], suffixes=("_prev", "_cur"))
    diff = both["value_m_cur"] - both["value_m_prev"]
    both = both[diff.abs() > REVISION_TOLERANCE_M].copy()
    both["revision_usd_m"] = (both["value_m_cur"] - both["value_m_prev"]).round(1)
    out = pd.DataFrame({
        "partner": both["partner"], "label": both["partner"].map(labels(cfg)), "year": both["year"].astype("int64"),
        "month": both["month"].astype("int64"),
        "period": [f"{y}" if m == 0 else f"{y}-{m:02d}" for y, m in zip(both["year"], both["month"])],
        "previous_usd_m": both["value_m_prev"], "current_usd_m": both["value_m_cur"],
        "revision_usd_m": both["revision_usd_m"],
        "revision_pct": 100.0 * both["revision_usd_m"] / both["value_m_prev"],
        "previous_source": previous.dataset, "current_source": current.dataset}, columns=REVISION_COLUMNS)
    rank = {p["iso3"]: i for i, p in enumerate(cfg["partners"])}
    rank[WORLD] = len(rank)
    out = out.assign(_rank=out["partner"].map(rank)).sort_values(["_rank", "year", "month"], kind="stable")
    return out.drop(columns="_rank").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# China's share of US imports: overall and by HS section


def overall_share(annual: pd.DataFrame, source: str, cfg: dict) -> dict | None:
    """China's share of all US imports in the base year and the latest complete year of ``source``."""
    rows = annual[(annual["source"] == source) & (annual["partner"] == cfg["china"])].dropna(
        subset=["share_of_us_imports_pct"])
    world = annual[(annual["source"] == source) & (annual["partner"] == WORLD)].set_index("year")["imports_usd_bn"]
    base = rows[rows["year"] == cfg["base_year"]]
    later = rows[rows["year"] > cfg["base_year"]]
    if base.empty or later.empty:
        return None
    base, last = base.iloc[0], later.loc[later["year"].idxmax()]
    return {"scope": "all goods", "section": "", "title": "All goods", "chapters": "", "source": source,
            "base_year": int(base["year"]), "latest_year": int(last["year"]),
            "china_base_usd_bn": base["imports_usd_bn"], "world_base_usd_bn": world[int(base["year"])],
            "share_base_pct": base["share_of_us_imports_pct"], "china_latest_usd_bn": last["imports_usd_bn"],
            "world_latest_usd_bn": world[int(last["year"])], "share_latest_pct": last["share_of_us_imports_pct"],
            "change_pp": last["share_of_us_imports_pct"] - base["share_of_us_imports_pct"], "status": "ok"}


def _chapter(code: str) -> int | None:
    text = str(code).strip()
    return int(text) if len(text) == 2 and text.isdigit() else None


def section_values(hs: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """[partner, year, section, value_usd] summed over the HS chapters of each section; chapters in
    no section go to 'other'; 'total' is every chapter."""
    by_chapter = chapter_sections(sections)
    data = hs.assign(chapter=hs["commodity"].map(_chapter)).dropna(subset=["chapter"])
    data = data.assign(section=data["chapter"].astype(int).map(by_chapter).fillna("other"))
    summed = data.groupby(["partner", "year", "section"], as_index=False)["value_usd"].sum()
    total = data.groupby(["partner", "year"], as_index=False)["value_usd"].sum().assign(section="total")
    return pd.concat([summed, total], ignore_index=True)


def _chapter_text(row) -> str:
    first, last = int(row.first_chapter), int(row.last_chapter)
    return f"{first:02d}" if first == last else f"{first:02d}-{last:02d}"


def section_shares(values: pd.DataFrame, sections: pd.DataFrame, china: str, base_year: int, latest_year: int,
                   source: str) -> pd.DataFrame:
    """China's share of US imports per section in the two years, and the change (pp)."""
    pivot = values.pivot_table(index="section", columns=["partner", "year"], values="value_usd", aggfunc="sum")
    catalogue = [(r.section, r.title, _chapter_text(r)) for r in sections.itertuples(index=False)]
    catalogue += [("other", "Chapters in no HS section (98-99, US special classification provisions)", "98-99"),
                  ("total", "All HS chapters", "01-99")]
    rows = []
    for section, title, chapters in catalogue:
        def value(partner, year, section=section):
            try:
                v = pivot.loc[section, (partner, year)]
            except KeyError:
                return np.nan
            return float(v) if pd.notna(v) else np.nan
        cb, wb, cl, wl = (value(china, base_year), value(WORLD, base_year), value(china, latest_year),
                          value(WORLD, latest_year))
        if section == "other" and np.isnan([wb, wl]).all():
            continue
        sb = 100.0 * cb / wb if wb else np.nan
        sl = 100.0 * cl / wl if wl else np.nan
        rows.append({"scope": "HS section" if section not in ("other", "total") else f"HS {section}",
                     "section": section, "title": title, "chapters": chapters, "source": source,
                     "base_year": base_year, "latest_year": latest_year,
                     "china_base_usd_bn": cb / BN, "world_base_usd_bn": wb / BN, "share_base_pct": sb,
                     "china_latest_usd_bn": cl / BN, "world_latest_usd_bn": wl / BN, "share_latest_pct": sl,
                     "change_pp": sl - sb, "status": "ok"})
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def hs_detail(sources: dict[str, TradeSource], cfg: dict) -> tuple[pd.DataFrame | None, str, str]:
    """(US imports by HS chapter from China and the world, source family, note) from the first
    family whose datasets give the base year and a later year; (None, '', why not) otherwise."""
    reasons = []
    for family, names in cfg["hs_sources"].items():
        available = [sources[n] for n in names if n in sources and sources[n].available]
        missing = [n for n in names if not (n in sources and sources[n].available)]
        if not available:
            reasons.append(f"{family}: {', '.join(missing)} unavailable")
            continue
        frames = []
        for src in available:
            codes = {k: v for k, v in partner_codes(cfg, src.family).items() if v in (cfg["china"], WORLD)}
            frames.append(us_imports(src.table, codes, commodity=None).query("month == 0"))
        hs = pd.concat(frames, ignore_index=True)
        years = sorted(set(hs.loc[hs["partner"] == cfg["china"], "year"]) & set(hs.loc[hs["partner"] == WORLD, "year"]))
        if cfg["base_year"] in years and any(y > cfg["base_year"] for y in years):
            return hs, family, ", ".join(s.dataset for s in available)
        reasons.append(f"{family}: no pair of {cfg['base_year']} and a later year in {', '.join(s.dataset for s in available)}")
    return None, "", "; ".join(reasons)


def unavailable_sections(sections: pd.DataFrame, cfg: dict, why: str) -> pd.DataFrame:
    rows = [{"scope": "HS section", "section": r.section, "title": r.title, "chapters": _chapter_text(r),
             "source": "", "base_year": cfg["base_year"], "latest_year": np.nan,
             "status": f"{NEEDS_LIVE} ({why})"} for r in sections.itertuples(index=False)]
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def china_share_table(annual: pd.DataFrame, monthly_source: str | None, sources: dict[str, TradeSource],
                      sections: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    rows = []
    overall = overall_share(annual, monthly_source, cfg) if monthly_source else None
    if overall:
        rows.append(pd.DataFrame([overall], columns=SHARE_COLUMNS))
    hs, family, used = hs_detail(sources, cfg)
    if hs is None:
        rows.append(unavailable_sections(sections, cfg, used))
    else:
        values = section_values(hs, sections)
        latest = max(y for y in values["year"].unique() if y > cfg["base_year"])
        rows.append(section_shares(values, sections, cfg["china"], cfg["base_year"], int(latest), used))
    out = pd.concat([r for r in rows if not r.empty], ignore_index=True) if rows else pd.DataFrame(columns=SHARE_COLUMNS)
    return out[SHARE_COLUMNS]


# ---------------------------------------------------------------------------------------------
# Everything


def sources_table(sources: dict[str, TradeSource], cfg: dict, used: set[str]) -> pd.DataFrame:
    roles = {}
    for name in cfg["monthly_sources"]:
        roles.setdefault(name, "monthly imports by partner")
    for name in cfg["annual_sources"]:
        roles.setdefault(name, "annual imports by partner")
    roles.setdefault(cfg["revisions"]["previous"], "earlier vintage of the Census workbook (revision table)")
    roles.setdefault(cfg["mirror_source"], "China-reported exports to the US (mirror check)")
    for names in cfg["hs_sources"].values():
        for name in names:
            roles.setdefault(name, "imports by HS chapter")
    rows = []
    for name in trade_datasets(cfg):
        m = sources[name].manifest if name in sources else {}
        rows.append({"dataset": name, "role": roles[name], "status": m.get("status", "missing"),
                     "mode": m.get("mode") or "", "format": m.get("format") or "", "file": m.get("file") or "",
                     "vintage": m.get("vintage_hint") or "", "sha256": m.get("sha256") or "",
                     "used": "yes" if name in used else "no", "message": m.get("message") or ""})
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def build(sources: dict[str, TradeSource], sections: pd.DataFrame, cfg: dict) -> TradeResults:
    """All trade tables from the loaded sources (missing ones reported, never invented)."""
    notes, used = [], set()
    monthly = first_available(sources, cfg["monthly_sources"])
    annual_parts, quarterly = [], pd.DataFrame(columns=QUARTERLY_COLUMNS)
    if monthly is None:
        notes.append(f"no monthly source available ({', '.join(cfg['monthly_sources'])})")
    else:
        used.add(monthly.dataset)
        annual_monthly, quarterly = monthly_tables(monthly, cfg)
        annual_parts.append(annual_monthly)
    for name in cfg["annual_sources"]:
        if name in sources and sources[name].available:
            used.add(name)
            annual_parts.append(annual_source_table(sources[name], cfg))
    annual = (pd.concat([p for p in annual_parts if not p.empty], ignore_index=True)
              if any(not p.empty for p in annual_parts) else pd.DataFrame(columns=ANNUAL_COLUMNS))
    china_comtrade = next(p["comtrade"] for p in cfg["partners"] if p["iso3"] == cfg["china"])
    us_china = next((sources[n] for n in cfg["annual_sources"] if n in sources and sources[n].available
                     and sources[n].family == "comtrade"), None)
    mirror_src = sources.get(cfg["mirror_source"])
    mirror_src = mirror_src if mirror_src is not None and mirror_src.available else None
    mirror = mirror_table(us_china, mirror_src, china_comtrade)
    if not mirror.empty:
        used.add(cfg["mirror_source"])
    share = china_share_table(annual, monthly.dataset if monthly else None, sources, sections, cfg)
    for listed in share["source"].dropna():
        used.update(name for name in str(listed).split(", ") if name)
    largest, coverage = pd.DataFrame(columns=LARGEST_COLUMNS), pd.DataFrame(columns=COVERAGE_COLUMNS)
    if monthly is not None:
        coverage = monthly_coverage(monthly, cfg, quarterly)
        if monthly.family.startswith("census"):
            largest = largest_partners(monthly, cfg)
    rev = cfg["revisions"]
    revisions = revision_table(*(sources[n] if n in sources and sources[n].available else None
                                 for n in (rev["previous"], rev["current"])), cfg)
    if all(n in sources and sources[n].available for n in (rev["previous"], rev["current"])):
        used.update((rev["previous"], rev["current"]))
    return TradeResults(annual=annual, quarterly=quarterly, china_share=share, mirror=mirror,
                        sources=sources_table(sources, cfg, used), notes=notes, revisions=revisions,
                        largest=largest, coverage=coverage)


# ---------------------------------------------------------------------------------------------
# Report section


def _value(frame: pd.DataFrame, **where):
    rows = frame
    for key, value in where.items():
        rows = rows[rows[key] == value]
    return rows


def _change_words(change: float, digits: int = 1) -> str:
    """'a fall of 7.4 percentage points', 'a rise of ...' or 'no change', from the printed number."""
    printed = fmt(abs(change), digits)
    if float(printed) == 0:
        return "no change at the printed precision"
    return f"{'a fall' if change < 0 else 'a rise'} of {printed} percentage points"


def largest_partner_text(largest: pd.DataFrame) -> str:
    """Which country was the largest source of US imports in the latest complete year, and whether it
    took the lead that year: the wording follows the ranks in ``largest``."""
    leaders = largest[largest["rank"] == 1].set_index("year").sort_index()
    if leaders.empty:
        return ""
    year = int(leaders.index[-1])
    lead = leaders.iloc[-1]
    second = largest[(largest["year"] == year) & (largest["rank"] == 2)]
    versus = ""
    if not second.empty:
        r2 = second.iloc[0]
        versus = (f", ahead of {r2['partner_name']} (US$ {fmt(r2['imports_usd_bn'], 1)} bn, "
                  f"{fmt(r2['share_of_us_imports_pct'], 1)}%)")
    head = (f"US$ {fmt(lead['imports_usd_bn'], 1)} bn, {fmt(lead['share_of_us_imports_pct'], 1)}% of US goods imports"
            f"{versus}")
    earlier = leaders.iloc[:-1]
    if earlier.empty:
        return f"In {year} the largest single-country source of US goods imports was {lead['partner_name']} ({head})."
    before = earlier.iloc[-1]
    if before["partner_code"] == lead["partner_code"]:
        return f"In {year} {lead['partner_name']} remained the largest single-country source of US goods imports ({head})."
    run = earlier[::-1]
    same = run["partner_code"].eq(before["partner_code"]).cumprod().astype(bool)
    span = run[same].index
    since = (f"every year from {int(span.min())} to {int(span.max())}" if len(span) > 1 else f"{int(span.max())}")
    return (f"In {year} {lead['partner_name']} overtook {before['partner_name']} as the largest single-country "
            f"source of US goods imports ({head}); {before['partner_name']} had been the largest in {since} "
            f"in this source.")


def revision_text(revisions: pd.DataFrame, cfg: dict, t: str) -> list[str]:
    first, last = cfg["revisions"]["years"]
    rev = cfg["revisions"]
    if revisions.empty:
        return [f"Between the vintages `{rev['previous']}` and `{rev['current']}` of the Census workbook no monthly or "
                f"annual value of {first}-{last} for these partners differs, or one vintage is unavailable "
                f"(`{t}trade_census_revisions.csv`).", ""]
    monthly = revisions[revisions["month"] > 0]
    annual = revisions[revisions["month"] == 0]
    parts = [f"{r.label} {r.year}: US$ {fmt(r.previous_usd_m / 1e3, 1)} bn -> {fmt(r.current_usd_m / 1e3, 1)} bn "
             f"({'+' if r.revision_pct > 0 else ''}{fmt(r.revision_pct, 2)}%)" for r in annual.itertuples(index=False)]
    years = ", ".join(str(int(y)) for y in sorted(monthly["year"].unique()))
    lines = [f"Revisions: the newer vintage (`{rev['current']}`) changes {len(monthly)} monthly values of "
             f"{first}-{last} for these partners and the world (in {years or 'no year'}) against the older one "
             f"(`{rev['previous']}`); {len(annual)} annual totals change"
             + (": " + "; ".join(parts) if parts else "") + f" (`{t}trade_census_revisions.csv`). "
             "Every table above uses the newer vintage.", ""]
    return lines


def _coverage_text(coverage: pd.DataFrame | None, source: str, t: str) -> str:
    if coverage is None or coverage.empty or source not in set(coverage["source"]):
        return ""
    c = coverage[coverage["source"] == source].iloc[0]
    text = f" The monthly data used run from {c['first_month']} to {c['last_month']}"
    if isinstance(c["incomplete_quarter"], str) and c["incomplete_quarter"]:
        n = int(c["months_in_incomplete_quarter"])
        text += (f"; {c['incomplete_quarter']} has only {n} of its 3 months, so it is not shown as a quarter "
                 f"(nor {c['last_month'][:4]} as a year)")
    elif not str(c["last_month"]).endswith("-12"):
        text += f" ({c['last_month'][:4]} is incomplete, so it is not shown as a year)"
    return text + f" (`{t}trade_monthly_coverage.csv`)."


def drawable_sections(share: pd.DataFrame) -> pd.DataFrame:
    """The HS-section rows of the China-share table that have numbers (status ``ok``): the figure's
    right panel draws these, and without any it is left out (the section says why)."""
    return share[(share["scope"] == "HS section") & (share["status"] == "ok")]


def china_share_caption(share: pd.DataFrame) -> str:
    """The China-share figure's caption: which panels it has."""
    if drawable_sections(share).empty:
        return "China's share of US goods imports by year"
    return "China's share of US goods imports by year, and by HS section in the base and latest year"


def section_markdown(annual: pd.DataFrame, quarterly: pd.DataFrame, share: pd.DataFrame, mirror: pd.DataFrame,
                     sources: pd.DataFrame, cfg: dict, *, revisions: pd.DataFrame | None = None,
                     largest: pd.DataFrame | None = None, coverage: pd.DataFrame | None = None,
                     figures=("figures/trade_partner_ratios.png", "figures/trade_china_share.png")) -> str:
    """The report's "Trade diversion" section, every number read from the trade results tables."""
    t = "results/tables/"
    china, base = cfg["china"], cfg["base_year"]
    names = labels(cfg)
    others = [p["iso3"] for p in cfg["partners"] if p["iso3"] != china]
    lines = ["## Trade diversion: US imports from China, Mexico, Viet Nam and India", ""]
    overall = share[share["scope"] == "all goods"]
    if not overall.empty:
        o = overall.iloc[0]
        lines += [f"China supplied {fmt(o['share_base_pct'], 1)}% of US goods imports in {int(o['base_year'])} and "
                  f"{fmt(o['share_latest_pct'], 1)}% in {int(o['latest_year'])}, {_change_words(o['change_pp'])} "
                  f"(US$ {fmt(o['china_base_usd_bn'], 1)} bn and "
                  f"{fmt(o['china_latest_usd_bn'], 1)} bn; "
                  f"source `{o['source']}`, `{t}trade_china_share.csv`).", ""]
    else:
        lines += [f"China's overall share of US imports in {base} and later cannot be computed from the available "
                  f"sources (`{t}trade_china_share.csv`).", ""]
    if largest is not None and not largest.empty:
        lines += [largest_partner_text(largest).removesuffix(".") + f" (`{t}trade_largest_partners.csv`).", ""]
    if not quarterly.empty:
        src = quarterly["source"].iloc[0]
        q = quarterly[quarterly["source"] == src]
        last_period = q.sort_values(["year", "quarter"])["period"].iloc[-1]
        parts = []
        for iso in others:
            b = _value(q, partner=iso, period=f"{base}Q4")
            ann_b = _value(annual, source=src, partner=iso, year=base)
            latest = _value(q, partner=iso, period=last_period)
            if latest.empty:
                continue
            base_parts = ([f"{fmt(ann_b['ratio_to_china'].iloc[0], 3)} in {base}"] if not ann_b.empty else []) + (
                [f"{fmt(b['ratio_to_china'].iloc[0], 3)} in {base}Q4"] if not b.empty else [])
            base_text = (f"{base_parts[0]} ({base_parts[1]})" if len(base_parts) == 2
                         else base_parts[0] if base_parts else "n/a in the base year")
            parts.append(f"{names[iso]} {base_text} and {fmt(latest['ratio_to_china'].iloc[0], 3)} in {last_period}")
        lines += [f"Imports from each partner relative to imports from China (ratio of US$ values; source `{src}`, "
                  f"`{t}trade_partner_annual.csv`, `{t}trade_partner_quarterly.csv`): " + "; ".join(parts) + ". "
                  f"The latest complete quarter in the source is {last_period}." + _coverage_text(coverage, src, t), ""]
        shown = annual[annual["source"] == src].pivot(index="year", columns="partner", values="imports_usd_bn")
        ratios = annual[annual["source"] == src].pivot(index="year", columns="partner", values="ratio_to_china")
        table = pd.DataFrame({"year": shown.index.astype(int)})
        for iso in [china] + others:
            if iso in shown:
                table[f"{names[iso]} (US$ bn)"] = shown[iso].map(lambda v: fmt(v, 1)).to_numpy()
        for iso in others:
            if iso in ratios:
                table[f"{names[iso]} / China"] = ratios[iso].map(lambda v: fmt(v, 3)).to_numpy()
        if WORLD in shown and china in shown:
            table["China share (%)"] = (100 * shown[china] / shown[WORLD]).map(lambda v: fmt(v, 1)).to_numpy()
        lines += [markdown_table(table), ""]
    else:
        lines += ["No monthly source of US imports by partner is available, so no quarterly ratios are shown.", ""]
    comtrade = annual[annual["source"] != (quarterly["source"].iloc[0] if not quarterly.empty else "")]
    if not comtrade.empty:
        last = comtrade.loc[comtrade["year"].idxmax()]
        yr = int(last["year"])
        ch = _value(comtrade, partner=china, year=yr)
        if not ch.empty:
            lines += [f"UN Comtrade (US-reported, `{ch['source'].iloc[0]}`) puts US imports from China at "
                      f"US$ {fmt(ch['imports_usd_bn'].iloc[0], 1)} bn in {yr}, the latest year it covers "
                      f"(`{t}trade_partner_annual.csv`).", ""]
    if not mirror.empty:
        m = mirror.loc[mirror["year"].idxmax()]
        lines += [f"Mirror check: in {int(m['year'])} the US reported US$ {fmt(m['us_reported_imports_usd_bn'], 1)} bn "
                  f"of imports from China, China US$ {fmt(m['china_reported_exports_usd_bn'], 1)} bn of exports to "
                  f"the US (gap {fmt(m['gap_pct'], 1)}%; `{t}trade_mirror_check.csv`).", ""]
    sections = share[share["scope"] == "HS section"]
    ok = drawable_sections(share)
    if ok.empty:
        why = sections["status"].iloc[0] if not sections.empty else NEEDS_LIVE
        lines += [f"Not drawn: China's share by HS section in {base} and the latest year ({why}). The offline mirror "
                  f"holds no imports by HS chapter; the Census international trade API and the UN Comtrade API "
                  f"rows of the catalog supply them when run with network (`{t}trade_china_share.csv`); the "
                  f"figure shows the overall share only.", ""]
    else:
        ok = ok.copy()
        ok = ok.reindex(ok["change_pp"].sort_values().index)
        src, latest = ok["source"].iloc[0], int(ok["latest_year"].iloc[0])
        table = pd.DataFrame({"section": ok["section"], "title": ok["title"], "chapters": ok["chapters"],
                              f"China share {base} (%)": ok["share_base_pct"].map(lambda v: fmt(v, 1)),
                              f"China share {latest} (%)": ok["share_latest_pct"].map(lambda v: fmt(v, 1)),
                              "change (pp)": ok["change_pp"].map(lambda v: fmt(v, 1))})
        lines += [f"China's share of US imports by HS section, {base} and {latest} (source `{src}`; "
                  f"`{t}trade_china_share.csv`), largest falls first:", "", markdown_table(table), ""]
    if revisions is not None:
        lines += revision_text(revisions, cfg, t)
    missing = sources[sources["status"] != "ok"]
    if not missing.empty:
        lines += ["Sources not available in this run: " + ", ".join(f"`{d}`" for d in missing["dataset"])
                  + f" (`{t}trade_sources.csv`).", ""]
    lines += [f"![US imports from Mexico, Viet Nam and India relative to China]({figures[0]})", "",
              f"![{china_share_caption(share)}]({figures[1]})", ""]
    return "\n".join(lines)
