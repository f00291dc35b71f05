"""Assemble the report from results files only: every number printed here is read from a table.

`build_report(results, settings)` takes the results tables (already read) and the config slice,
and returns Markdown; `render_html` turns it into a standalone HTML page.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import markdown as md_lib
import pandas as pd

from resilience.panels.countries.identity import PART_REASON
from resilience.models.coefs import COEF_COLUMNS
from resilience.models.tables import to_markdown
from resilience.report.layout import APPENDIX_MARKER, assemble
from resilience.report.text import fmt, fmt_p, markdown_table, pct


def _sources_section(provenance: pd.DataFrame) -> list[str]:
    used = provenance[provenance["status"] == "used"]
    table = used[["series", "label", "dataset", "code", "vintage", "mode", "file", "sha256"]].copy()
    table["sha256"] = table["sha256"].str[:12]
    return ["## Data sources", "",
            "Each series of the country panel comes from exactly one published file: the first source in the",
            "configured order of preference that was available and had data. `sha256` (first 12 hex digits)",
            "identifies the raw file; `results/tables/provenance.csv` has the full hash and URL.", "",
            "Table: {#tbl:sources} The published file behind each series (`results/tables/provenance.csv`).", "",
            markdown_table(table), ""]


def _unavailable_section(provenance: pd.DataFrame) -> list[str]:
    used = provenance[provenance["status"] == "used"]
    missing = provenance[provenance["status"].isin(["unavailable", "no data"])]
    lines = ["## Unavailable sources", ""]
    if missing.empty:
        lines += ["Every configured source was available.", ""]
    else:
        lines += ["These sources were configured but could not be used in this run; where a series had no",
                  "other source it is absent from the panel and from every model that needs it.", "",
                  "Table: Configured sources not used in this run (`results/tables/provenance.csv`).", "",
                  markdown_table(missing[["series", "dataset", "status", "message"]]), ""]
    absent = sorted(set(provenance["series"]) - set(used["series"]))
    lines += [f"Series with no available source in this run: {', '.join(absent) if absent else 'none'}.", ""]
    return lines


def _coverage_section(coverage: pd.DataFrame, unmatched: pd.DataFrame, years: dict) -> list[str]:
    table = coverage.assign(share_missing=coverage["share_missing"].map(lambda v: pct(100 * v)))
    is_part = unmatched["reason"].fillna("").astype(str).str.startswith(PART_REASON)
    parts, unmatched = unmatched[is_part], unmatched[~is_part]
    lines = ["## Coverage", "",
             f"The panel grid is every economy with at least one series, over {years['start']}-{years['end']}; "
             "`share_missing` is the share of that grid without a value.", "",
             "Table: {#tbl:coverage} Coverage of the country panel by series (`results/tables/coverage.csv`).", "",
             markdown_table(table), "",
             f"Names or codes no source could match to an economy: {len(unmatched)} "
             "(all listed in `results/tables/unmatched_countries.csv`; aggregates and former states are "
             "kept apart from economies, not dropped silently).", ""]
    if len(unmatched):
        lines += [markdown_table(unmatched.groupby(["source", "reason"]).size().rename("count").reset_index()), ""]
    if len(parts):
        # Which economy each part belongs to is the word after PART_REASON ('part of TZA: ...').
        whole = parts["reason"].astype(str).str.slice(len(PART_REASON)).str.split(n=1).str[0].str.rstrip(":;")
        described = []
        for iso3, rows in parts.assign(whole=whole).groupby("whole", sort=True):
            named = rows.drop_duplicates("country_code").sort_values("country_code")
            described.append(" and ".join(f"\"{n}\" ({c})" for c, n in zip(named["country_code"], named["country_name"]))
                             + f" into {iso3}")
        lines += ["Economies a publisher gives only in parts are the sum of their parts, for each series and year "
                  "in which every part has a value (a year with a part missing has no value for the economy), so "
                  "they enter the panel and the world benchmark: " + "; ".join(described) + ". Per source, "
                  "the parts and what was summed (also in `results/tables/unmatched_countries.csv`):", "",
                  markdown_table(parts[["source", "country_code", "country_name", "reason"]]), ""]
    return lines


def _breaks_section(breaks: pd.DataFrame) -> list[str]:
    lines = ["## Series breaks", "",
             "Years where a publisher footnote marking a change of definition (valuation basis, sector or "
             "territorial coverage; patterns in `measures.break_footnotes`) starts or stops applying. Growth into "
             "such a year, and Martin indices and losses spanning it, are not computed "
             "(`results/tables/series_breaks.csv`).", ""]
    if breaks.empty:
        return lines + ["No series break in the growth series.", ""]
    return lines + ["Table: Series breaks (`results/tables/series_breaks.csv`).", "", markdown_table(breaks), ""]


def _martin_sentences(martin: pd.DataFrame, episodes: list[dict], focus: str) -> list[str]:
    lines = []
    for ep in episodes:
        rows = martin[martin["episode"] == ep["name"]]
        res, rec = rows[rows["phase"] == "resistance"], rows[rows["phase"] == "recovery"]
        if res.empty:
            lines.append(f"- {ep['label']}: no economy has the outcome in {ep['contraction'][0]} and {ep['contraction'][1]}.")
            continue
        g_ref = res["g_ref"].iloc[0]
        share_better = (res["index_pp"].dropna() > 0).mean() * 100
        sentence = (f"- {ep['label']}: the benchmark changed by {fmt(g_ref, 1)}% over "
                    f"{ep['contraction'][0]}-{ep['contraction'][1]}; {pct(share_better)} of the "
                    f"{res['index_pp'].notna().sum()} economies did better (resistance > 0).")
        mine = res[res["iso3"] == focus]
        if len(mine):
            sentence += f" {focus}: output change {fmt(mine['g_unit'].iloc[0], 1)}%, resistance {fmt(mine['index_pp'].iloc[0], 1)} pp."
        if len(rec):
            sentence += (f" In the recovery {ep['recovery'][0]}-{ep['recovery'][1]} the benchmark grew "
                         f"{fmt(rec['g_ref'].iloc[0], 1)}%.")
        lines.append(sentence)
    return lines


def _measures_section(martin, loss, composite, episodes, focus, measures: dict) -> list[str]:
    lines = ["## Resistance, recovery and output loss", "",
             "Martin (2012) indices of manufacturing value added (constant prices) against the world total "
             "(the sum over economies observed at both ends of each period). `index_pp` = g_i - g_ref in "
             "percentage points; `index_ratio` = (g_i - g_ref)/|g_ref|. Positive means better than the benchmark.", ""]
    lines += _martin_sentences(martin, episodes, focus) + ["", "@tbl:martin summarises the indices by episode and "
                                                           "phase, @tbl:loss the cumulative output losses.", ""]
    summary = (martin.groupby(["episode", "phase"])
               .agg(economies=("index_pp", "count"), g_ref=("g_ref", "first"),
                    median_index_pp=("index_pp", "median"), median_index_ratio=("index_ratio", "median"))
               .reset_index())
    lines += ["Table: {#tbl:martin} Martin indices by episode and phase: economies, benchmark growth and medians "
              "(`results/tables/countries_martin.csv`).", "", markdown_table(summary), ""]
    loss_summary = (loss.groupby("episode")
                    .agg(economies=("cumulative_loss", "count"), median_loss=("cumulative_loss", "median"),
                         median_years_below_peak=("years_below_peak", "median"),
                         censored=("censored", lambda s: int(s.fillna(False).astype(bool).sum())))
                    .reset_index())
    lines += [f"Cumulative loss against the pre-shock trend (mean log growth of the {measures['trend_years']} years "
              "up to the contraction start), in percent of trend output summed over the years to the end of the "
              f"recovery; the pre-shock peak is the highest level of the {measures['peak_window']} years up to the "
              "contraction start, and years below it are censored where it was not regained by the last year.", "",
              "Table: {#tbl:loss} Cumulative output loss by episode (`results/tables/output_loss.csv`).", "",
              markdown_table(loss_summary), ""]
    used = composite[composite["included"].astype(bool)]
    lines += ["### Pre-shock digitalization", "",
              "Indicators enter an episode's composite only with enough coverage; the table lists each indicator, its "
              "coverage among the economies with the outcome, and its entropy weight and PCA loading.", "",
              "Table: Indicators of the pre-shock digitalization composite "
              "(`results/tables/countries_digital_composite.csv`).", "",
              markdown_table(composite[["episode", "indicator", "coverage", "included", "reason",
                                        "entropy_weight", "pca_loading", "n_complete"]]), "",
              "Indicators used: " + "; ".join(f"{ep}: {', '.join(g['indicator'])}" for ep, g in used.groupby("episode")) + ".", ""]
    return lines


def _coefficient_sentence(coefs: pd.DataFrame, term_prefix: str, what: str) -> str:
    rows = coefs[coefs["term"] == term_prefix]
    if rows.empty:
        return f"- {what}: not estimated (term `{term_prefix}` absent)."
    r = rows.iloc[0]
    p = fmt_p(r["p"])
    p_text = f"p {p}" if p.startswith("<") else f"p = {p}"
    return (f"- {what}: {fmt(r['coef'], 2)} (se {fmt(r['se'], 2)}, {p_text}, "
            f"95% CI {fmt(r['ci_low'], 2)} to {fmt(r['ci_high'], 2)}; N = {int(r['nobs'])}, {r['cov_type']}).")


def _sample_sentence(name: str, note: dict, notes_file: str) -> str:
    """The sample and covariance facts of one model, from its notes file."""
    parts = []
    if "nobs" in note:
        parts.append(f"{note['nobs']} observations of {note.get('n_entities', '?')} economies"
                     f" over {note.get('n_periods', '?')} years")
    for key, value in sorted(note.items()):
        if key.startswith("nobs_"):
            counts = ", ".join(f"{dep} {n}" for dep, n in sorted(value.items()))
            parts.append(f"{key.removeprefix('nobs_')} cross-section, economies per outcome: {counts}")
    if note.get("n_dropped_units"):
        parts.append(f"{note['n_dropped_units']} economies left out for a missing pre-shock exposure or control")
    if note.get("small_sample"):
        parts.append(f"standard errors: {note['small_sample']}")
    text = "; ".join(parts) if parts else "no sample notes"
    return f"Sample: {text} (details in `{notes_file}`)."


def _models_section(models: dict, model_md: dict, notes: dict, specs: list[dict], episodes,
                    main_model: str, labels: dict, adjusted: pd.DataFrame | None, plotted: bool = False) -> list[str]:
    """The headline estimates and the other models' tables; the long side-by-side table of the shock x
    exposure models goes to the appendix (``plotted``: the main model's coefficient plot is in the report)."""
    lines = ["## Models", ""]
    main = models.get(main_model)
    if main is not None:
        scale = ("exposures standardized within episode over the economies the model uses, so coefficients are "
                 "percentage points of manufacturing growth per standard deviation"
                 if notes.get(main_model, {}).get("standardized", True) else
                 "exposures in their own units (panels.countries.design.standardize is false)")
        plot = "; plotted in @fig:coefficients_main" if plotted else ""
        lines += [f"Headline estimates of the main two-way fixed-effects model, "
                  f"{model_label(main_model, labels)} ({scale}; all terms in @tbl:panel_models in the appendix"
                  f"{plot}):", ""]
        for ep in episodes:
            for var in ("digital_z", "lq_manuf"):
                term = f"contraction_{ep['name']}_x_{var}"
                lines.append(_coefficient_sentence(main, term, term_label(term, labels, episodes)))
        lines.append("")
    for spec in specs:
        if spec["kind"] == "panel":
            continue
        name = spec["name"]
        lines += [f"### {model_label(name, labels)}", "", spec["label"] + ".", "",
                  _sample_sentence(name, notes.get(name, {}), f"results/models/{name}.json"), "",
                  f"Table: {spec['label']} (`results/tables/model_{name}.csv`; rule `model`, "
                  "`resilience.models`).", "", model_md[name].strip(), ""]
    panel_specs = [spec for spec in specs if spec["kind"] == "panel" and spec["name"] in models]
    if panel_specs:
        lines += [APPENDIX_MARKER, *_panel_models_table(models, notes, panel_specs, episodes, labels, adjusted)]
    return lines


def _panel_models_table(models, notes, specs, episodes, labels, adjusted) -> list[str]:
    """The shock x exposure models side by side, terms in words, bootstrap and adjusted p as rows."""
    frames = [models[spec["name"]][COEF_COLUMNS].fillna({"episode": ""}) for spec in specs]
    table = pd.concat(frames, ignore_index=True)
    extra = {"bootstrap p": _p_rows(models, specs, "p_boot")}
    if adjusted is not None and "p_romano_wolf" in adjusted.columns:
        extra["Romano-Wolf p (robustness model)"] = {
            (spec["name"], term): p for spec in specs[:1]
            for term, p in zip(adjusted["term"], adjusted["p_romano_wolf"])}
    text = to_markdown(table, labels={"terms": {t: term_label(t, labels, episodes) for t in table["term"]},
                                      "models": {s["name"]: model_label(s["name"], labels) for s in specs}},
                       p_rows=extra)
    lines = ["## The shock x exposure models, every term", "",
             "One column per model; the terms are the shock phase of each episode times a pre-shock exposure. "
             "Below each coefficient its standard error, the restricted wild cluster bootstrap p-value (models "
             "clustered by economy) and, for the headline model, the Romano-Wolf p-value of the robustness "
             "stage's model of the same term (no controls or interaction, so its estimate can differ).", ""]
    for spec in specs:
        lines += [f"{model_label(spec['name'], labels)}. " + _sample_sentence(
            spec["name"], notes.get(spec["name"], {}), "results/models/countries_models.json"), ""]
    lines += ["Table: {#tbl:panel_models} The shock x exposure models of the country panel "
              "(`results/tables/countries_models.csv`, `results/tables/countries_wild_bootstrap.csv`, "
              "`results/tables/countries_adjusted_p.csv`; rule `panel_models`, `resilience.models.shock_exposure`).",
              "", text.strip(), ""]
    return lines


def _p_rows(models: dict, specs: list[dict], column: str) -> dict:
    found = {}
    for spec in specs:
        rows = models[spec["name"]]
        if column in rows.columns:
            found |= {(spec["name"], t): p for t, p in zip(rows["term"], rows[column]) if pd.notna(p)}
    return found


def term_label(term: str, labels: dict, episodes: list[dict]) -> str:
    """A model term in words: `labels.terms` if it names the term, else composed from its parts
    (`contraction_gfc_x_digital_z` -> "2008-09 global financial crisis, contraction x digitalization")."""
    words = labels.get("terms", {})
    if term in words:
        return words[term]
    head, *exposures = term.split("_x_")
    phase, _, episode = head.partition("_")
    episode_labels = {ep["name"]: ep["label"] for ep in episodes}
    if not exposures or episode not in episode_labels:
        return words.get(term, term)
    named = " x ".join(words.get(e, e) for e in exposures)
    return f"{episode_labels[episode]}, {phase} x {named}"


def model_label(name: str, labels: dict) -> str:
    return labels.get("models", {}).get(name, name)


def _bootstrap_sentence(table: pd.DataFrame | None) -> str:
    """What the wild cluster bootstrap of a panel model says about its contraction terms, or that none ran."""
    if table is None or "p_boot" not in table.columns or table["p_boot"].isna().all():
        return "No wild cluster bootstrap for this model (it runs for the models clustered by economy)."
    rows = table[table["term"].str.startswith("contraction_") & table["p_boot"].notna()]
    if rows.empty:
        return "The wild cluster bootstrap gives no p-value for a contraction term of this model."
    reps, weights = int(rows["boot_reps"].iloc[0]), rows["boot_weights"].iloc[0]
    cells = "; ".join(f"{r.term} {fmt(r.p_boot, 3)}" for r in rows.itertuples(index=False))
    return (f"Restricted wild cluster bootstrap by economy ({reps} draws, {weights} weights; every term in "
            f"`results/tables/countries_wild_bootstrap.csv`), p-values of the contraction terms: {cells}.")


def _game_section(equilibria: pd.DataFrame, regions: pd.DataFrame, game: dict) -> list[str]:
    """The industrial backup game: the example's equilibria and the share of the grid per outcome."""
    shares = (regions["equilibrium"].value_counts(normalize=True) * 100).rename("share_of_grid_pct")
    shares = shares.rename_axis("equilibrium").reset_index().sort_values("equilibrium")
    ex = game["example"]
    lines = ["## The industrial backup game", "",
             f"Chain leader A and embedded country B (H = {fmt(game['H'], 1)}, L = {fmt(game['L'], 1)}, "
             f"rupture losses h = {fmt(game['h'], 1)} for A and l = {fmt(game['l'], 1)} for B; from "
             "`config/config.yaml`). Solved by backward induction (`resilience.context.game.analysis`; ties: A cooperates, "
             "B builds no backup). Without the backup option A ruptures once B's learning gain s exceeds h; "
             "with it, B builds the backup when its cost c is below s + l, and A then cooperates.", "",
             f"Equilibria at the example point s = {fmt(ex['s'], 1)}, c = {fmt(ex['c'], 1)} "
             "(`results/tables/backup_game_equilibria.csv`):", "",
             "Table: Equilibria of the backup game at the example point "
             "(`results/tables/backup_game_equilibria.csv`).", "",
             markdown_table(equilibria), "",
             "Table: Share of the (s, c) grid in each equilibrium (`results/tables/backup_game_regions.csv`).", "",
             markdown_table(shares), "",
             "![Equilibrium regions of the backup game.](figures/backup_game_regions.png)", "",
             "![The three game trees with the equilibrium path.](figures/backup_game_trees.png)", ""]
    return lines


def _figures_section(figures: list[str]) -> list[str]:
    captions = {
        "peer_paths": "Manufacturing value added at constant prices, index (base year on the axis), the focus economy and its peers.",
        "coefficients_main": "Coefficients of the main model with 95% confidence intervals.",
        "countries_resistance_by_cluster": "Resistance in the first episode by tercile of the pre-shock cluster "
                                           "exposure (the figure shared by every panel).",
        "countries_resistance_by_digital": "Resistance in the first episode by tercile of pre-shock "
                                           "digitalization (the figure shared by every panel).",
        "countries_coverage": "Coverage of the country panel: unit-years without a value per series.",
    }
    lines = ["## Figures", ""]
    for name in figures:
        episode = name.rsplit("_", 1)[-1]
        if name.startswith("output_by_tercile_"):
            caption = f"Manufacturing output around the shock by pre-shock digitalization tercile ({episode})."
        elif name.startswith("resistance_scatter_"):
            caption = f"Resistance (pp against the world) and pre-shock digitalization ({episode}), peers labelled."
        else:
            caption = captions.get(name, name)
        lines += [f"![{caption}](figures/{name}.png){{#fig:{name}}}", ""]
    return lines


def _finding_rows(findings: str) -> pd.DataFrame:
    """The findings section's summary table (hypothesis, panel, episode, coef [95% CI], ..., caveats, verdict),
    or empty."""
    rows = [line for line in findings.splitlines() if line.startswith("|")]
    if len(rows) < 3:
        return pd.DataFrame(columns=["hypothesis", "panel", "episode", "verdict"])
    split = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    header, body = split[0], [r for r in split[2:] if len(r) == len(split[0])]
    return pd.DataFrame(body, columns=header)


def abstract_section(findings: str, martin: pd.DataFrame, episodes: list[dict], focus: str) -> list[str]:
    """A short abstract: how many hypothesis x panel x episode cells got which verdict, the significant
    ones with their estimates and how many caveats each carries, and the focus economy's resistance in
    each episode (its Martin resistance index: its own change minus the world's, in pp)."""
    lines = ["## Abstract", ""]
    cells = _finding_rows(findings)
    if len(cells) and "verdict" in cells.columns:
        counts = cells["verdict"].value_counts()
        tally = "; ".join(f"{verdict}: {n}" for verdict, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        text = (f"The pipeline tests {cells['hypothesis'].nunique()} claims of the motivating papers (digitalization "
                f"and industrial clusters make an economy's industrial and supply chains more resilient; each panel "
                f"measures resilience on its own outcome, named in its section) on {cells['panel'].nunique()} "
                f"panels, {len(cells)} claim x panel x episode cells in all. Verdicts: {tally}.")
        decisive = cells[cells["verdict"].isin(["supported", "contradicted"])]
        if len(decisive) and "coef [95% CI]" in decisive.columns:
            text += " Decisive cells: " + "; ".join(
                f"{r['hypothesis']} ({r['panel']}, {r['episode']}): {r['verdict']}, {r['coef [95% CI]']}"
                + _caveat_count(r) for _, r in decisive.iterrows()) + "."
            if "caveats" in decisive.columns and (decisive["caveats"] != "0").any():
                text += (" The caveats (robustness checks a cell fails or cannot pass, and limits of its data) are listed "
                         "under Findings.")
        lines += [text]
    else:
        lines += ["No findings section was produced in this run, so no verdicts are summarised here."]
    resistance = martin[(martin["phase"] == "resistance") & (martin["iso3"] == focus)]
    by_episode = {row.episode: row for row in resistance.itertuples(index=False)}
    parts = [f"{ep['label']}: {fmt(by_episode[ep['name']].index_pp, 1)} pp" for ep in episodes
             if ep["name"] in by_episode]
    if parts:
        lines += ["", f"{focus}'s resistance: its output change in the contraction minus the world's, in percentage "
                  "points (the Martin resistance index as a difference): " + "; ".join(parts)
                  + ". The details follow in the findings, the exhibits and the appendix."]
    return lines + [""]


def _caveat_count(row: pd.Series) -> str:
    """', 1 caveat' / ', 3 caveats' / ', no caveat' from the findings table's caveats column (nothing without it)."""
    count = row.get("caveats")
    if count is None or not str(count).isdigit():
        return ""
    n = int(count)
    return ", no caveat" if n == 0 else f", {n} caveat{'s' if n > 1 else ''}"


def references_section(provenance: pd.DataFrame, catalog: pd.DataFrame | None,
                       lineage: pd.DataFrame | None = None) -> list[str]:
    """Every dataset the run used, cited from the source catalog, then the method references: the country
    panel's series (with their vintages) and every other raw dataset a results file rests on (``lineage``,
    the lineage table: its rows of status ok)."""
    lines = ["## References", ""]
    used = provenance.loc[provenance["status"] == "used", ["dataset", "vintage", "url"]].drop_duplicates("dataset")
    if lineage is not None and len(lineage):
        others = lineage.loc[(lineage["status"] == "ok") & ~lineage["dataset"].isin(used["dataset"]), ["dataset", "url"]]
        used = pd.concat([used, others.drop_duplicates("dataset").assign(vintage=None)], ignore_index=True)
    for row in used.sort_values("dataset").itertuples(index=False):
        entry = catalog.loc[row.dataset] if catalog is not None and row.dataset in catalog.index else None
        who = f"{entry['publisher']}. {entry['title']}." if entry is not None else f"{row.dataset}."
        vintage = f" Vintage {row.vintage}." if isinstance(row.vintage, str) and row.vintage else ""
        lines.append(f"- {who}{vintage} <{row.url}> (dataset `{row.dataset}`).")
    lines += ["- Martin, R. (2012). Regional economic resilience, hysteresis and recessionary shocks. "
              "*Journal of Economic Geography* 12(1), 1-32.",
              "- Romano, J. P. and Wolf, M. (2005). Stepwise multiple testing as formalized data snooping. "
              "*Econometrica* 73(4), 1237-1282.",
              "- Roodman, D., Nielsen, M. O., MacKinnon, J. G. and Webb, M. D. (2019). Fast and wild: bootstrap "
              "inference in Stata using boottest. *The Stata Journal* 19(1), 4-60.", ""]
    return lines


REPORT_TITLE = "Industrial resilience, digitalization and clusters"


def build_report(results: dict, settings: dict) -> str:
    """Markdown report. `results` holds the tables by name (and `sections`: name -> Markdown of the
    plugged-in sections, in their configured order); `settings` the config slice. The order of the
    sections is `resilience.report.layout`'s."""
    episodes, labels = settings["episodes"], settings.get("labels", {})
    focus = settings["figures"]["focus"]
    findings = results.get("findings") or ""
    built = {
        "abstract": abstract_section(findings, results["martin"], episodes, focus),
        "findings": [findings],
        "measures": _measures_section(results["martin"], results["loss"], results["composite"], episodes, focus,
                                      settings["measures"]),
        "models": _models_section(results["models"], results["model_md"], results["notes"], settings["models"],
                                  episodes, settings["figures"]["main_model"], labels, results.get("adjusted_p"),
                                  plotted="coefficients_main" in results["figures"]),
        "figures": _figures_section(results["figures"]),
        "sources": _sources_section(results["provenance"]),
        "unavailable_sources": _unavailable_section(results["provenance"]),
        "coverage": _coverage_section(results["coverage"], results["unmatched"], settings["years"]),
        "series_breaks": _breaks_section(results["breaks"]),
        "composite_indices": ["## Pooled composite indices", "",
                              "Entropy weights of the resilience and digitalization indices used by the "
                              "`composite_index` model (pooled over all economy-years with complete components).", "",
                              "Table: Entropy weights of the pooled composite indices "
                              "(`results/tables/composite_weights.csv`).", "",
                              markdown_table(results["weights"]), ""],
        "references": references_section(results["provenance"], results.get("catalog"), results.get("lineage")),
    }
    if "game_equilibria" in results:
        built["backup_game"] = _game_section(results["game_equilibria"], results["game_regions"],
                                             settings["backup_game"])
    sections = {name: "\n".join(lines) for name, lines in built.items()}
    for name, text in results.get("sections", {}).items():
        sections.setdefault(name, text)
    preface = ("Generated by the pipeline from raw public files; every number below is read from a file in "
               "`results/`. Do not edit by hand: rerun `make all`.")
    return assemble(REPORT_TITLE, preface, sections)


def exhibit_table(exhibits) -> pd.DataFrame:
    """The numbered exhibits as rows (kind, number, caption, section, files), in report order."""
    return pd.DataFrame([{"kind": e.kind, "number": e.number, "caption": e.caption, "section": e.section,
                          "files": " ".join(e.files)} for e in exhibits],
                        columns=["kind", "number", "caption", "section", "files"])


HTML_STYLE = (
    "body{font-family:'Report CJK',system-ui,sans-serif;max-width:60em;margin:auto;padding:0 1.5em;"
    "line-height:1.45;color:#1a1a1a}"
    "table{border-collapse:collapse;font-size:0.85em;display:block;overflow-x:auto;margin:0.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}th{background:#f3f3f3}"
    "img{max-width:100%;display:block;margin:1em auto 0.3em}code{font-size:0.9em;overflow-wrap:anywhere}"
    "h1{font-size:1.8em}h2{border-bottom:1px solid #ddd;padding-bottom:0.2em;margin-top:2em}"
)


def render_html(markdown_text: str, base_dir=None, title: str = "Resilience report", font: bytes | None = None,
                declared: set[str] | None = None) -> str:
    """A standalone HTML page: images under `base_dir` embedded as data URIs (only `declared` ones, paths
    relative to `base_dir`, when given), headings with anchors (the table of contents links to them)
    and, when given, a font (a CJK subset) embedded for every character the page uses."""
    body = md_lib.markdown(markdown_text, extensions=["tables", "toc"])
    if base_dir is not None:
        body = embed_images(body, Path(base_dir), declared)
    font_face = ""
    if font:
        font_face = ("@font-face{font-family:'Report CJK';src:url(data:font/otf;base64,"
                     + base64.b64encode(font).decode("ascii") + ") format('opentype');}")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{font_face}{HTML_STYLE}</style>\n</head>\n<body>\n"
            + body + "\n</body>\n</html>\n")


_IMG_SRC = re.compile(r'(<img [^>]*?src=")([^"]+)(")')
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def embed_images(body: str, base_dir: Path, declared: set[str] | None = None) -> str:
    """Every relative image source replaced by a data URI of the file's bytes; an image that is not a
    file, or (with `declared`) not among the declared ones, is an error rather than a broken page."""
    def embed(match: re.Match) -> str:
        src = match.group(2)
        path = base_dir / src
        if src.startswith(("data:", "http:", "https:")) or not path.is_file():
            raise FileNotFoundError(f"report image {src!r}: no file {path} to embed in the HTML report")
        if declared is not None and src not in declared:
            raise ValueError(f"report image {src!r}: not an input of the report rule (declare it in "
                             "workflow/rules/report.smk)")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"{match.group(1)}data:{_MIME.get(path.suffix.lower(), 'application/octet-stream')};base64,{data}{match.group(3)}"
    return _IMG_SRC.sub(embed, body)
