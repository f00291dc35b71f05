"""Value-chain position: forward and backward participation in global value chains (GVCs).

Both are shares of the country's (or manufacturing group's) gross exports, in percent:

- backward: foreign value added embodied in the country's gross exports (TiVA ``EXGR_FVA``; the
  foreign content of KWW 2014);
- forward: the country's domestic value added embodied in its partners' gross exports, i.e. exported
  to them and processed further (TiVA ``EXGR_DVAFX``, earlier editions ``EXGR_DVAFXSH``; VS1).

They come from OECD TiVA (SDMX-CSV shares by activity, plus gross exports in US$ for the weights) or
are computed from an ICIO table (``resilience.context.gvc.kww``); both are first turned into the same
*levels* table (US$ million by country, year, activity: gross exports, foreign value added in them,
domestic value added embodied in partners' exports), from which :func:`participation` forms the total
(activity ``_T``) and each configured manufacturing group.

Group weighting: a group's share is a ratio of sums, ``100 * sum_i level_i / sum_i EXGR_i`` over the
group's activities i. For backward participation this is exactly the gross-export-weighted mean of
the industries' shares (weights ``EXGR_i / sum EXGR``). Forward participation is by industry of
*origin* of the value added; TiVA states it per unit of the country's *total* gross exports
(``forward_base: total_exports``, so the level is ``share * EXGR_T``), and the group share is again
that value added per unit of the group's own gross exports. A group is computed only for a country
and year where every activity of the group that the source publishes has a value; otherwise it is
left empty rather than computed from part of the group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.sources.raw import raw_file
from resilience.context.gvc.checks import TOTAL, check_settings
from resilience.errors import InputError
from resilience.report.text import fmt, markdown_table
from resilience.sources.parsers.oecd import parse_sdmx_csv

LEVEL_COLUMNS = ["iso3", "year", "activity", "gross_exports", "foreign_va", "dva_in_partner_exports"]
PARTICIPATION_COLUMNS = ["iso3", "year", "group", "backward", "forward", "participation", "gross_exports",
                         "activities", "source"]
STATUS_COLUMNS = ["dataset", "status", "mode", "file", "vintage", "sha256", "message"]
NEEDS_LIVE = "needs the live OECD source"


# ---------------------------------------------------------------------------------------------
# Levels from TiVA


def _single_unit(rows: pd.DataFrame, measure: str, what: str) -> pd.DataFrame:
    units = sorted(rows["UNIT_MEASURE"].unique()) if "UNIT_MEASURE" in rows else []
    if len(units) > 1:
        raise InputError(what, f"measure {measure} comes in several units {units}", field="UNIT_MEASURE",
                         expected="one unit per measure (restrict the query's UNIT_MEASURE)")
    return rows


def _tiva_rows(table: pd.DataFrame, measure: str, gvc: dict, what: str) -> pd.DataFrame:
    needed = ["MEASURE", "REF_AREA", "ACTIVITY", "COUNTERPART_AREA", "year", "value", "unit_mult"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(what, f"lacks the TiVA dimension(s) {missing}", field=missing[0],
                         expected="MEASURE, REF_AREA, ACTIVITY, COUNTERPART_AREA (TiVA principal indicators)")
    rows = table[(table["MEASURE"] == measure) & (table["COUNTERPART_AREA"] == gvc["counterpart"])]
    if rows.empty:
        raise InputError(what, f"has no {measure} rows with counterpart {gvc['counterpart']}", field="MEASURE",
                         expected=f"measure {measure} in the TiVA download")
    return _single_unit(rows, measure, what)


def tiva_levels(shares: pd.DataFrame, exports: pd.DataFrame, gvc: dict) -> pd.DataFrame:
    """The levels table (US$ million) from TiVA shares (percent of gross exports, ``value`` as
    published) and TiVA gross exports (``value * 10**unit_mult`` US$)."""
    key = ["REF_AREA", "year", "ACTIVITY"]
    measures = gvc["measures"]
    gross = _tiva_rows(exports, measures["gross_exports"], gvc, "TiVA gross exports")
    gross = gross.assign(gross_exports=gross["value"] * np.power(10.0, gross["unit_mult"] - 6))[key + ["gross_exports"]]
    backward = _tiva_rows(shares, measures["backward"], gvc, "TiVA shares")
    forward = _tiva_rows(shares, measures["forward"], gvc, "TiVA shares")
    for name, rows in (("backward", backward), ("forward", forward)):
        if (rows["unit_mult"] != 0).any():
            raise InputError("TiVA shares", f"{name} measure has UNIT_MULT {sorted(rows['unit_mult'].unique())}",
                             field="UNIT_MULT", expected="percentages with UNIT_MULT 0")
    out = gross.merge(backward[key + ["value"]].rename(columns={"value": "backward_share"}), on=key, how="left")
    out = out.merge(forward[key + ["value"]].rename(columns={"value": "forward_share"}), on=key, how="left")
    totals = out[out["ACTIVITY"] == gvc["total_activity"]][["REF_AREA", "year", "gross_exports"]]
    out = out.merge(totals.rename(columns={"gross_exports": "total_exports"}), on=["REF_AREA", "year"], how="left")
    base = out["total_exports"] if gvc["forward_base"] == "total_exports" else out["gross_exports"]
    out["foreign_va"] = out["backward_share"] / 100.0 * out["gross_exports"]
    out["dva_in_partner_exports"] = out["forward_share"] / 100.0 * base
    out = out.rename(columns={"REF_AREA": "iso3", "ACTIVITY": "activity"})
    return _sorted_levels(out[LEVEL_COLUMNS])


def _sorted_levels(levels: pd.DataFrame) -> pd.DataFrame:
    return levels.sort_values(["iso3", "year", "activity"], kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Levels from an ICIO table


def icio_levels(industries: pd.DataFrame, year: int, total_activity: str = "_T") -> pd.DataFrame:
    """The levels table from ``kww.industry_participation`` for one year; the total is the sum."""
    rows = industries.rename(columns={"country": "iso3", "industry": "activity",
                                      "foreign_content": "foreign_va"}).assign(year=int(year))
    total = rows.groupby("iso3", as_index=False)[["gross_exports", "foreign_va", "dva_in_partner_exports"]].sum()
    total = total.assign(activity=total_activity, year=int(year))
    return _sorted_levels(pd.concat([rows[LEVEL_COLUMNS], total[LEVEL_COLUMNS]], ignore_index=True))


# ---------------------------------------------------------------------------------------------
# Participation: total and manufacturing groups


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        backward = 100.0 * frame["foreign_va"] / frame["gross_exports"]
        forward = 100.0 * frame["dva_in_partner_exports"] / frame["gross_exports"]
    ok = frame["gross_exports"] > 0
    return frame.assign(backward=backward.where(ok), forward=forward.where(ok),
                        participation=(backward + forward).where(ok))


def participation(levels: pd.DataFrame, gvc: dict, source: str) -> pd.DataFrame:
    """Backward, forward and total participation (percent of gross exports) by country, year and
    group ('total' plus each configured group), for the configured countries from the start year."""
    levels = levels[levels["iso3"].isin(gvc["countries"]) & (levels["year"] >= gvc["start_year"])]
    total = levels[levels["activity"] == gvc["total_activity"]].assign(group=TOTAL, activities=gvc["total_activity"])
    parts = [total]
    published = set(levels["activity"])
    for name, group in gvc["groups"].items():
        activities = [a for a in group["activities"] if a in published]
        parts.append(_group_levels(levels, name, activities))
    out = _shares(pd.concat(parts, ignore_index=True)).assign(source=source)
    out = out[PARTICIPATION_COLUMNS]
    order = {name: i for i, name in enumerate([TOTAL, *gvc["groups"]])}
    out = out.assign(_order=out["group"].map(order))
    out = out.sort_values(["iso3", "_order", "year"], kind="mergesort").drop(columns="_order")
    return out.reset_index(drop=True)


def _group_levels(levels: pd.DataFrame, name: str, activities: list[str]) -> pd.DataFrame:
    """Sum of the group's activities per country-year; empty where any activity lacks a value."""
    keys = levels[["iso3", "year"]].drop_duplicates()
    rows = levels[levels["activity"].isin(activities)]
    values = ["gross_exports", "foreign_va", "dva_in_partner_exports"]
    complete = rows.dropna(subset=values).groupby(["iso3", "year"])["activity"].nunique()
    sums = rows.groupby(["iso3", "year"])[values].sum(min_count=1)
    full = complete[complete == len(activities)].index if activities else complete.index[:0]
    sums.loc[~sums.index.isin(full), values] = np.nan
    out = keys.merge(sums.reset_index(), on=["iso3", "year"], how="left")
    return out.assign(group=name, activity="", activities="+".join(activities))


def empty_participation() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("backward", "forward", "participation",
                                                                 "gross_exports") else "object")
                         for c in PARTICIPATION_COLUMNS})


# ---------------------------------------------------------------------------------------------
# From the raw layer


SDMX_FORMATS = {"oecd_sdmx_csv"}


def participation_from_raw(raw_dirs: dict[str, str], gvc: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(participation table, source status) from ``data/raw/<dataset>`` folders keyed by role
    ('shares', 'exports'). When a dataset is unavailable the table is empty (right columns, no rows):
    nothing is estimated in place of the missing source."""
    paths, manifests = {}, {}
    for role, raw_dir in raw_dirs.items():
        path, manifest = raw_file(raw_dir)
        paths[role], manifests[manifest["dataset"]] = (path, manifest)
        if path is not None and manifest["format"] not in SDMX_FORMATS:
            raise InputError(path, f"format {manifest['format']!r} cannot be read here", field="format",
                             expected=f"one of {sorted(SDMX_FORMATS)} (OECD SDMX-CSV)")
    status = status_table(manifests)
    if any(path is None for path in paths.values()):
        return empty_participation(), status
    tables = {role: parse_sdmx_csv(path).table for role, path in paths.items()}
    absent = absent_measures(tables, gvc)
    if absent:
        return empty_participation(), mark_unavailable(status, absent)
    levels = tiva_levels(tables["shares"], tables["exports"], gvc)
    return participation(levels, gvc, source="OECD TiVA"), status


MEASURE_ROLES = {"shares": ("backward", "forward"), "exports": ("gross_exports",)}


def absent_measures(tables: dict[str, pd.DataFrame], gvc: dict) -> dict[str, str]:
    """Dataset -> why it cannot be used, for each TiVA download lacking a configured measure code.

    The OECD renames TiVA measures between editions (``EXGR_DVAFXSH``, ``EXGR_DVAFX``, ``FEXGR_DVA``
    in public queries); a query naming a code the codelist CL_TIVA_MEASURE no longer holds is answered
    with the other measures only. The message lists the codes the reply does hold, so the right one
    can be set in ``gvc.measures``.
    """
    absent = {}
    for role, table in tables.items():
        wanted = {gvc["measures"][name]: name for name in MEASURE_ROLES[role]}
        found = sorted(table["MEASURE"].astype(str).unique()) if "MEASURE" in table else []
        missing = [code for code in wanted if code not in found]
        if missing:
            keys = ", ".join(f"gvc.measures.{wanted[code]}" for code in missing)
            absent[gvc["datasets"][role]] = (
                f"the OECD reply has no measure {', '.join(missing)} ({keys}); the MEASURE codes it holds "
                f"(codelist CL_TIVA_MEASURE) are {', '.join(found) or 'none'}: set {keys} to the code meant")
    return absent


def mark_unavailable(status: pd.DataFrame, reasons: dict[str, str]) -> pd.DataFrame:
    status = status.copy()
    hit = status["dataset"].isin(list(reasons))
    status.loc[hit, "status"] = "unavailable"
    status.loc[hit, "message"] = status.loc[hit, "dataset"].map(reasons)
    return status


# ---------------------------------------------------------------------------------------------
# Source status (from the download manifests) and the report section


def status_table(manifests: dict[str, dict]) -> pd.DataFrame:
    rows = [{"dataset": name, "status": m.get("status") or "", "mode": m.get("mode") or "",
             "file": m.get("file") or "", "vintage": m.get("vintage_hint") or "",
             "sha256": m.get("sha256") or "", "message": m.get("message") or ""}
            for name, m in sorted(manifests.items())]
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _latest_table(table: pd.DataFrame, group: str, countries: list[str]) -> pd.DataFrame:
    rows = table[(table["group"] == group)].dropna(subset=["backward", "forward"])
    out = []
    for iso3 in countries:
        mine = rows[rows["iso3"] == iso3].sort_values("year")
        if mine.empty:
            continue
        first, last = mine.iloc[0], mine.iloc[-1]
        out.append({"economy": iso3, "years": f"{int(first['year'])}-{int(last['year'])}",
                    "backward, latest (%)": fmt(last["backward"], 1), "forward, latest (%)": fmt(last["forward"], 1),
                    "backward change (pp)": fmt(last["backward"] - first["backward"], 1),
                    "forward change (pp)": fmt(last["forward"] - first["forward"], 1)})
    return pd.DataFrame(out)


def _groups_table(table: pd.DataFrame, gvc: dict) -> pd.DataFrame:
    out = []
    for iso3 in gvc["countries"]:
        rows = table[(table["iso3"] == iso3) & (table["group"] != TOTAL)].dropna(subset=["backward"])
        if rows.empty:
            continue
        year = int(rows["year"].max())
        row = {"economy": iso3, "year": year}
        for name, group in gvc["groups"].items():
            hit = rows[(rows["group"] == name) & (rows["year"] == year)]
            value = hit.iloc[0] if len(hit) else None
            row[f"{group['label']}: backward / forward (%)"] = (
                f"{fmt(value['backward'], 1)} / {fmt(value['forward'], 1)}" if value is not None else "n/a")
        out.append(row)
    return pd.DataFrame(out)


def section(table: pd.DataFrame, status: pd.DataFrame, gvc: dict, *, table_path: str, status_path: str,
            figure: str) -> str:
    """The report section, from the participation and status tables only."""
    lines = ["## Value-chain position: GVC participation", "",
             "Backward participation is the foreign value added embodied in an economy's gross exports; forward "
             "participation is its domestic value added embodied in partners' gross exports (exported, processed and "
             "exported again); both in percent of the economy's gross exports (OECD TiVA `EXGR_FVA` and "
             "`EXGR_DVAFX`, or the Koopman-Wang-Wei decomposition of an ICIO table). Manufacturing groups are "
             "ratios of sums over their industries, i.e. gross-export-weighted means "
             f"(`{table_path}`).", ""]
    missing = status[status["status"] != "ok"]
    if table.dropna(subset=["backward", "forward"], how="all").empty:
        if (status["mode"] == "live").any():
            lines += ["**Not computed in this run: the OECD Trade in Value Added indicators could not be used as "
                      "downloaded**, and nothing is estimated in their place. Source status, with the reason "
                      f"(`{status_path}`):", ""]
        else:
            lines += [f"**Not computed in this run: it {NEEDS_LIVE}.** The OECD Trade in Value Added indicators are "
                      "not in the offline mirror, and nothing is estimated in their place; with network access "
                      "(`raw_mirror: null`) the same rule downloads them from the OECD SDMX API. "
                      f"Source status (`{status_path}`):", ""]
        lines += [markdown_table(status[["dataset", "status", "message"]]), "",
                  "Not drawn: the figure of forward and backward participation by economy (no participation value "
                  "in this run).", ""]
        return "\n".join(lines) + "\n"
    countries = gvc["countries"]
    lines += [f"### Whole economy, first and latest year ({', '.join(countries)})", "",
              markdown_table(_latest_table(table, TOTAL, countries)), "",
              f"![Forward and backward GVC participation by economy]({figure})", ""]
    groups = _groups_table(table, gvc)
    lines += ["### Manufacturing groups, latest year", ""]
    if groups.empty:
        lines += ["No manufacturing group could be computed (an industry of each group lacks data).", ""]
    else:
        for name, group in gvc["groups"].items():
            lines.append(f"- {group['label']}: {', '.join(group['activities'])}")
        lines += ["", markdown_table(groups), ""]
    if not missing.empty:
        lines += [f"Sources not available in this run (`{status_path}`):", "",
                  markdown_table(missing[["dataset", "status", "message"]]), ""]
    return "\n".join(lines) + "\n"


__all__ = ["check_settings", "participation_from_raw", "absent_measures", "mark_unavailable", "tiva_levels", "icio_levels", "participation", "empty_participation",
           "status_table", "section", "LEVEL_COLUMNS", "PARTICIPATION_COLUMNS", "STATUS_COLUMNS", "NEEDS_LIVE"]
