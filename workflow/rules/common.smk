# Helpers shared by the workflow: catalog rows as params, the mirror setting, model inputs.


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
