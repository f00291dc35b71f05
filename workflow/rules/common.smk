# Helpers shared by the workflow: catalog rows as params, the mirror setting, model inputs.


def catalog_row(wildcards):
    return CATALOG.loc[wildcards.dataset].to_dict()


def raw_mirror():
    """The mirror folder as an absolute path, or None to download live."""
    mirror = config.get("raw_mirror")
    return str(Path(mirror).resolve()) if mirror else None


def is_optional(wildcards):
    return wildcards.dataset in config["sources"]["optional"]


def model_inputs(wildcards):
    kind = MODELS[wildcards.model]["kind"]
    if kind == "panel":
        return {"growth": "data/processed/growth.parquet", "exposures": "results/tables/exposures.csv"}
    if kind == "cross_section":
        return {"martin": "results/tables/martin_indices.csv", "loss": "results/tables/output_loss.csv",
                "exposures": "results/tables/exposures.csv"}
    return {"composite": "data/processed/composite_panel.parquet"}


# --- the regional panels (workflow/rules/regions.smk, wildcard region: eu | china) ---------------------------


def region_block(wildcards):
    return config[REGION_BLOCKS[wildcards.region]]


def region_episodes(wildcards):
    """The episodes of a panel: EU regions several (by name), China its one configured episode."""
    if wildcards.region == "eu":
        return EU_EPISODES
    return [CHINA["episode"]]


def region_tables(region, names):
    return {name: f"results/tables/{region}_{name}.csv" for name in names}


def regional_results():
    """Every results file the shared regional rules make: their outputs for each panel, and each
    panel's own figures (the panels draw different figures, so not every region x figure)."""
    files = []
    for region in REGIONS:
        for shared in (rules.regional_measures, rules.regional_models):
            files += [str(o).replace("{region}", region) for o in shared.output]
        for figure in REGION_FIGURES[region]:
            files += [str(o).replace("{region}", region).replace("{figure}", figure) for o in rules.regional_figure.output]
    files += [str(o).replace("{panel}", panel) for panel in sorted(REGION_OF_BLOCK) for o in rules.regional_section.output]
    unexpanded = [f for f in files if "{" in f]
    if unexpanded:
        raise WorkflowError(f"regional_results: wildcards left in {unexpanded}")
    return sorted(f for f in files if f.startswith("results/"))
