"""Assemble the report from results files only: every number printed here is read from a table.

`build_report(results, settings)` takes the results tables (already read) and the config slice,
and returns Markdown; `render_html` turns it into a standalone HTML page.
"""

from __future__ import annotations

import html

import markdown as md_lib
import pandas as pd

from resilience.panels.countries.identity import PART_REASON
from resilience.models.coefs import COEF_COLUMNS
from resilience.models.tables import to_markdown
from resilience.report.text import fmt, markdown_table, pct


def _sources_section(provenance: pd.DataFrame) -> list[str]:
    used = provenance[provenance["status"] == "used"]
    table = used[["series", "label", "dataset", "code", "vintage", "mode", "file", "sha256"]].copy()
    table["sha256"] = table["sha256"].str[:12]
    lines = ["## Data sources", "",
             "Each series of the country panel comes from exactly one published file: the first source in the",
             "configured order of preference that was available and had data. `sha256` (first 12 hex digits)",
             "identifies the raw file; `results/tables/provenance.csv` has the full hash and URL.", "",
             markdown_table(table), ""]
    missing = provenance[provenance["status"].isin(["unavailable", "no data"])]
    lines += ["### Unavailable sources", ""]
    if missing.empty:
        lines += ["Every configured source was available.", ""]
    else:
        lines += ["These sources were configured but could not be used in this run; where a series had no",
                  "other source it is absent from the panel and from every model that needs it.", "",
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
    lines = ["### Series breaks", "",
             "Years where a publisher footnote marking a change of definition (valuation basis, sector or "
             "territorial coverage; patterns in `measures.break_footnotes`) starts or stops applying. Growth into "
             "such a year, and Martin indices and losses spanning it, are not computed "
             "(`results/tables/series_breaks.csv`).", ""]
    if breaks.empty:
        return lines + ["No series break in the growth series.", ""]
    return lines + [markdown_table(breaks), ""]


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
    lines += _martin_sentences(martin, episodes, focus) + [""]
    summary = (martin.groupby(["episode", "phase"])
               .agg(economies=("index_pp", "count"), g_ref=("g_ref", "first"),
                    median_index_pp=("index_pp", "median"), median_index_ratio=("index_ratio", "median"))
               .reset_index())
    lines += [markdown_table(summary), ""]
    loss_summary = (loss.groupby("episode")
                    .agg(economies=("cumulative_loss", "count"), median_loss=("cumulative_loss", "median"),
                         median_years_below_peak=("years_below_peak", "median"),
                         censored=("censored", lambda s: int(s.fillna(False).astype(bool).sum())))
                    .reset_index())
    lines += [f"Cumulative loss against the pre-shock trend (mean log growth of the {measures['trend_years']} years "
              "up to the contraction start), in percent of trend output summed over the years to the end of the "
              f"recovery; the pre-shock peak is the highest level of the {measures['peak_window']} years up to the "
              "contraction start, and years below it are censored where it was not regained by the last year.", "",
              markdown_table(loss_summary), ""]
    used = composite[composite["included"].astype(bool)]
    lines += ["### Pre-shock digitalization", "",
              "Indicators enter an episode's composite only with enough coverage; the table lists each indicator, its "
              "coverage among the economies with the outcome, and its entropy weight and PCA loading.", "",
              markdown_table(composite[["episode", "indicator", "coverage", "included", "reason",
                                        "entropy_weight", "pca_loading", "n_complete"]]), "",
              "Indicators used: " + "; ".join(f"{ep}: {', '.join(g['indicator'])}" for ep, g in used.groupby("episode")) + ".", ""]
    return lines


def _coefficient_sentence(coefs: pd.DataFrame, term_prefix: str, what: str) -> str:
    rows = coefs[coefs["term"] == term_prefix]
    if rows.empty:
        return f"- {what}: not estimated (term `{term_prefix}` absent)."
    r = rows.iloc[0]
    return (f"- {what}: {fmt(r['coef'], 2)} (se {fmt(r['se'], 2)}, p = {fmt(r['p'], 3)}, "
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
                    main_model: str) -> list[str]:
    lines = ["## Models", ""]
    main = models.get(main_model)
    if main is not None:
        scale = ("exposures standardized within episode over the economies the model uses, so coefficients are "
                 "percentage points of manufacturing growth per standard deviation"
                 if notes.get(main_model, {}).get("standardized", True) else
                 "exposures in their own units (panels.countries.design.standardize is false)")
        lines += [f"Headline estimates of the main two-way fixed-effects model `{main_model}` ({scale}):", ""]
        for ep in episodes:
            for var, label in (("digital_z", "digitalization"), ("lq_manuf", "manufacturing location quotient")):
                term = f"contraction_{ep['name']}_x_{var}"
                lines.append(_coefficient_sentence(main, term, f"{ep['label']}, contraction year x pre-shock {label}"))
        lines.append("")
    for spec in specs:
        name = spec["name"]
        lines += [f"### {name}: {spec['label']}", ""]
        panel = spec["kind"] == "panel"
        notes_file = "results/models/countries_models.json" if panel else f"results/models/{name}.json"
        lines += [_sample_sentence(name, notes.get(name, {}), notes_file), ""]
        if panel:
            # read back from CSV an empty episode is NaN, which would drop the rows from the table's columns
            rows = models[name][COEF_COLUMNS].fillna({"episode": ""}) if name in models else None
            table = to_markdown(rows) if rows is not None else "Not estimated."
            lines += [table.strip(), "", _bootstrap_sentence(models.get(name)),
                      f"(`results/tables/countries_models.csv`, rows of model {name}; rule `panel_models`, the shock "
                      f"x exposure model every panel runs, `resilience.models.shock_exposure`.)", ""]
        else:
            lines += [model_md[name].strip(), "",
                      f"(`results/tables/model_{name}.csv`, `.tex`; rule `model`, function "
                      f"`resilience.models`.)", ""]
    return lines


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
             markdown_table(equilibria), "",
             "Share of the (s, c) grid in each equilibrium (`results/tables/backup_game_regions.csv`):", "",
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
        lines += [f"![{caption}](figures/{name}.png)", "", f"*{caption}* (`results/figures/{name}.png`, `.pdf`)", ""]
    return lines


def build_report(results: dict, settings: dict) -> str:
    """Markdown report. `results` holds the tables by name; `settings` the config slice."""
    episodes = settings["episodes"]
    lines = ["# Industrial resilience, digitalization and clusters: country panel", "",
             "Generated by the pipeline from raw public files; every number below is read from a file "
             "in `results/`. Do not edit by hand: rerun `make all`.", ""]
    # the verdicts come first: the rest of the report is the evidence behind them
    if results.get("findings"):
        lines += [results["findings"].strip(), ""]
    lines += _sources_section(results["provenance"])
    lines += _coverage_section(results["coverage"], results["unmatched"], settings["years"])
    lines += _breaks_section(results["breaks"])
    lines += _measures_section(results["martin"], results["loss"], results["composite"], episodes,
                               settings["figures"]["focus"], settings["measures"])
    lines += ["### Pooled composite indices", "",
              "Entropy weights of the resilience and digitalization indices used by the `composite_index` model "
              "(pooled over all economy-years with complete components):", "",
              markdown_table(results["weights"]), ""]
    lines += _models_section(results["models"], results["model_md"], results["notes"], settings["models"], episodes,
                             settings["figures"]["main_model"])
    lines += _figures_section(results["figures"])
    if "game_equilibria" in results:
        lines += _game_section(results["game_equilibria"], results["game_regions"], settings["backup_game"])
    for section in results.get("sections", []):
        lines += [section.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def render_html(markdown_text: str, title: str = "Resilience report") -> str:
    # toc: every heading gets an id, so a section can link to another (Findings -> the claims ledger).
    body = md_lib.markdown(markdown_text, extensions=["tables", "toc"])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>body{{font-family:sans-serif;max-width:70em;margin:auto;}}"
            "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px}"
            "img{max-width:100%}</style>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n")
