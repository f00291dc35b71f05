# Helpers shared by the workflow: catalog rows as params, the mirror setting, model inputs.
import re



def catalog_row(wildcards):
    return CATALOG.loc[wildcards.dataset].to_dict()


def raw_mirror():
    """The mirror folder as an absolute path, or None to download live."""
    mirror = config.get("raw_mirror")
    return str(Path(mirror).resolve()) if mirror else None


def mirror_listing(wildcards):
    """The dataset's row in its mirror folder's SOURCES.csv (None without a mirror)."""
    return listed_row(raw_mirror(), CATALOG.at[wildcards.dataset, "mirror_path"])


def script_code(script: str) -> str:
    """The code fingerprint param of a rule: its script and the package modules the script imports,
    so a change to the package reruns only the rules whose code it touches."""
    return script_fingerprint(REPO / "workflow" / "scripts" / script, REPO / "src" / "resilience")


def repo_file(relative) -> str:
    """A file of the checkout as an input: relative to the working directory when that is the checkout
    (so a copied or moved checkout finds its outputs up to date), absolute when the run writes
    elsewhere (make verify's scratch directory, a workflow that uses this one as a module)."""
    return str(relative) if Path.cwd().resolve() == REPO.resolve() else str(REPO / relative)


def is_optional(wildcards):
    return wildcards.dataset in config["sources"]["optional"]


def model_inputs(wildcards):
    kind = MODELS[wildcards.model]["kind"]
    if kind == "cross_section":
        return {"martin": "results/tables/countries_martin.csv", "loss": "results/tables/output_loss.csv",
                "exposures": "results/tables/countries_exposures.csv"}
    return {"composite": "data/processed/composite_panel.parquet"}


# --- the stages every panel runs (workflow/rules/stages.smk, wildcard panel) ------------------------------


def panel_settings(stage):
    """The params function giving a stage the config slice it reads (Panel.stage_settings)."""
    if stage == "figure":
        # figures name variables, outcomes and benchmarks in words (config labels)
        return lambda wildcards: {**panel_registry.get(wildcards.panel).stage_settings(config, stage),
                                  "labels": config["labels"]}
    return lambda wildcards: panel_registry.get(wildcards.panel).stage_settings(config, stage)


def panel_input(attribute):
    """An input function giving one of the panel's declared file tables (figure_inputs, model_inputs, ...)."""
    return lambda wildcards: getattr(panel_registry.get(wildcards.panel), attribute)


def panel_episodes(wildcards):
    """The episodes of a panel (Panel.episodes)."""
    return panel_registry.get(wildcards.panel).episodes(config)


def panel_results():
    """Every results file the shared stage rules make: their outputs for each panel, each panel's own
    figures (the panels draw different figures, so not every panel x figure) and the sections."""
    files = []
    for panel in PANELS:
        for shared in (rules.panel_measures, rules.panel_models):
            files += [str(o).replace("{panel}", panel) for o in shared.output]
        for figure in panel_registry.get(panel).figures:
            files += [str(o).replace("{panel}", panel).replace("{figure}", figure) for o in rules.panel_figure.output]
    files += [str(o).replace("{panel}", panel) for panel in SECTION_PANELS for o in rules.panel_section.output]
    unexpanded = [f for f in files if "{" in f]
    if unexpanded:
        raise WorkflowError(f"panel_results: wildcards left in {unexpanded}")
    return sorted(f for f in files if f.startswith("results/"))


def spec_curve_summaries():
    """The specification curve's summary per panel when a rule of the workflow makes it, else none (the
    findings read it as an optional input)."""
    patterns = [re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(str(o)))) for r in workflow.rules for o in r.output
                if str(o).endswith("_spec_curve_summary.csv")]
    wanted = [f"results/tables/{p}_spec_curve_summary.csv" for p in PANELS]
    return [f for f in wanted if any(pattern.fullmatch(f) for pattern in patterns)]


def findings_panels():
    """Per panel: label, headline model, its episodes, which exposure is digitalization / clusters, the
    headline adaptation measure, the income exposure, the unit label and the size series."""
    compared = {p["source"]: p.get("terms", {}) for p in COMPARISON_PANELS}
    out = {}
    for p in PANELS:
        owner = panel_registry.get(p)
        settings = owner.settings(config)
        models = {m["name"]: m for m in settings["models"]}
        heads, sizes = owner.headline_models(config), owner.size_series(config)
        by_episode = {e: {"model": name, "exposures": exposure_roles(models[name]["exposures"], compared.get(p)),
                          "size_series": sizes.get(e)} for e, name in heads.items()}
        own = owner.robustness_settings(settings)
        per_episode = isinstance(own["headline_model"], dict) or isinstance((own["size"] or {}).get("series"), dict)
        first = next(iter(by_episode.values()), {"model": None, "exposures": {}, "size_series": None})
        out[p] = {"label": owner.label, "model": first["model"], "episodes": list(heads),
                  "exposures": first["exposures"],
                  "adaptation_measure": owner.adaptation_settings(settings)["headline_measure"],
                  "income": config.get("findings", {}).get("income_exposure"), "unit_label": owner.unit_label,
                  "size_series": first["size_series"], **({"by_episode": by_episode} if per_episode else {})}
    return out


def robustness_section_panels():
    """Per panel: label, unit label, the headline model (a name or episode -> name) and each episode's size series."""
    out = {}
    for p in PANELS:
        owner = panel_registry.get(p)
        out[p] = {"label": owner.label, "unit_label": owner.unit_label,
                  "headline_model": owner.robustness_settings(owner.settings(config))["headline_model"],
                  "size_series": owner.size_series(config)}
    return out


def robustness_inputs(wildcards):
    """Growth and exposures; the panel file too when the panel weights by a size series."""
    owner = panel_registry.get(wildcards.panel)
    inputs = {"growth": f"data/processed/{wildcards.panel}_growth.parquet",
              "exposures": f"results/tables/{wildcards.panel}_exposures.csv"}
    if owner.robustness_settings(owner.settings(config))["size"]:
        inputs["panel"] = owner.panel_file
    return inputs


def spec_curve_block(panel):
    """The panel's specification_curve block (None when it has none)."""
    return config["panels"][panel].get("specification_curve")


def spec_curve_inputs(wildcards):
    """Growth and the panel file; the unit attributes file when the block names one."""
    owner = panel_registry.get(wildcards.panel)
    inputs = {"growth": f"data/processed/{wildcards.panel}_growth.parquet", "panel": owner.panel_file}
    metadata = spec_curve_block(wildcards.panel).get("unit_metadata")
    if metadata:
        inputs["metadata"] = metadata["file"]
    return inputs


def spec_curve_files(panel, ext="png"):
    """The curve's tables and its figure per episode of the panel's headline model."""
    files = [f"results/tables/{panel}_{t}.csv" for t in SPEC_CURVE_TABLES]
    episodes = panel_registry.get(panel).robustness_episodes(config)
    return files + [f"results/figures/{panel}_spec_curve_{e}.{ext}" for e in episodes]


def robustness_figure_files(panel, ext="png"):
    episodes = panel_registry.get(panel).robustness_episodes(config)
    return [f"results/figures/{panel}_{kind}_{e}.{ext}" for kind in ROBUSTNESS_FIGURES for e in episodes]


def robustness_results():
    """Every results file of this file's rules (for the manifest)."""
    files = [f"results/tables/{p}_{t}.csv" for p in PANELS for t in ROBUSTNESS_TABLES + ADAPTATION_TABLES + TIMING_TABLES]
    files += [f for p in PANELS for ext in ("png", "pdf") for f in robustness_figure_files(p, ext)]
    files += sorted({f for p in SPEC_CURVE_PANELS for ext in ("png", "pdf") for f in spec_curve_files(p, ext)})
    return files + ["results/sections/robustness.md"]


def lineage_targets():
    # the report (and its PDF) cite the lineage section, so they come after it
    report_files = set(map(str, rules.report.output)) | set(map(str, rules.report_pdf.output))
    return [f for f in RESULTS_FILES if f not in set(LINEAGE_OUTPUTS) | report_files]


def lineage_waits_for():
    # The table describes these files, so it is written only once they all are: after a failed job
    # it keeps describing the previous complete run, as the manifest does. REPLICATION.md is left
    # out because it lists this table and so is written after it.
    return [f for f in lineage_targets() if f not in set(map(str, rules.replication_readme.output))]


def data_producer():
    producer = rule_producer(workflow.rules, skip=("all", "lineage"))

    # REPLICATION.md waits for every results file but is made from the raw files and the workflow
    # alone: tracing through what it waits for would make it (and the report) rest on every table.
    def without_waits(path):
        made = producer(path)
        if made is None or made[0] != "replication_readme":
            return made
        name, inputs, outputs = made
        waits = set(RESULTS_FILES)
        return name, [f for f in inputs if f not in waits], outputs

    return without_waits


def claims_tables():
    """The results tables the claims ledger's selectors read, as inputs of rule claims_ledger."""
    return [f"results/tables/{name}" for name in result_files(CLAIMS_LEDGER)]


def report_pointer(results_dir) -> str:
    """Where the report is and its headline, for the end of a run (an empty string before a report exists)."""
    from resilience.report.layout import headline

    report_md = Path(results_dir) / "report.md"
    if not report_md.is_file():
        return ""
    where = ", ".join(str(Path(results_dir) / name) for name in ("report.html", "report.pdf", "report.md")
                      if (Path(results_dir) / name).is_file())
    return f"Report: {where}\nHeadline: {headline(report_md.read_text(encoding='utf-8'))}"


def report_figure_files():
    """Every PNG under results/figures that a rule included so far writes (the panels' and the robustness
    figures expanded as the manifest does): the report embeds those its sections show, so it declares them."""
    files = {str(o) for r in workflow.rules for o in r.output
             if str(o).startswith("results/figures/") and str(o).endswith(".png") and "{" not in str(o)}
    files |= {f for f in panel_results() + robustness_results()
              if f.startswith("results/figures/") and f.endswith(".png")}
    return sorted(files)
