# Helpers shared by the rule files: catalog rows as rule params, and the mirror setting.


def catalog_row(wildcards):
    return CATALOG.loc[wildcards.dataset].to_dict()


def raw_mirror():
    """The mirror folder as an absolute path, or None to download live."""
    mirror = config.get("raw_mirror")
    return str(Path(mirror).resolve()) if mirror else None


def is_optional(wildcards):
    return wildcards.dataset in config["sources"]["optional"]


wildcard_constraints:
    dataset="|".join(sorted(CATALOG.index)),
    model="|".join(sorted(MODELS)),
    episode="|".join(EPISODES),
