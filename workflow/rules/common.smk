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
