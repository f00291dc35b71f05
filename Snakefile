# Resilience pipeline: raw public data -> tidy tables -> country panel -> measures -> models ->
# tables, figures -> report. All logic lives in the `resilience` package (src/); rules are thin.
from pathlib import Path

from snakemake.utils import min_version

from resilience.catalog import read_catalog
from resilience.claims.ledger import load_ledger, result_files
from resilience.config import check_config, check_config_file, load_yaml, mirror_setting, validate_schema
from resilience.provenance.fingerprint import script_fingerprint, source_fingerprint
from resilience.scheduler_timers import keep_one_pending
import resilience.panels as panel_registry
from resilience.sources.bundle import ensure_bundle
from resilience.sources.fetch import listed_row

min_version("9.0")

# Snakemake's scheduler otherwise starts a new chain of one-second wake-ups after every finished job
# (src/resilience/scheduler_timers.py): a fifth of a full run's CPU time in Snakemake's own process.
keep_one_pending()

# The folder of this Snakefile, also when another workflow imports it as a module (workflow.basedir is
# then the importer's folder).
REPO = Path(str(workflow.current_basedir))


# The files themselves first: Snakemake's loader keeps the last of two equal keys without a word and
# answers an empty file with a message naming neither.
for _path in [REPO / "config" / "config.yaml", *workflow.overwrite_configfiles]:
    if Path(_path).is_file():
        check_config_file(_path)


configfile: str(REPO / "config" / "config.yaml")


report: "workflow/report/workflow.rst"


# A config mistake fails here, before any job runs.
config["raw_mirror"] = mirror_setting(config.get("raw_mirror"))
# null on the command line reads as a string there, for the bundle as for the mirror
config["raw_bundle"] = mirror_setting(config.get("raw_bundle"))
validate_schema(config, load_yaml(REPO / "config" / "schema.yaml"))
check_config(config, root=REPO)
# A pinned bundle is downloaded and unpacked once, before planning, and then read as the mirror.
if config["raw_bundle"]:
    config["raw_mirror"] = str(ensure_bundle(config["raw_bundle"], Path("data/bundle").resolve(), download=config["download"]))

# Rules after the raw layer take a code fingerprint as a param, so a change to the package reruns them:
# their script's import closure (script_code in common.smk), or the whole package (CODE) for inline code.
CODE = source_fingerprint(REPO / "src" / "resilience")
CATALOG = read_catalog(REPO / config["sources"]["catalog"])
# The papers' claims and the results cells that regenerate them (workflow/rules/claims.smk).
CLAIMS_LEDGER = load_ledger(REPO / config["claims"]["ledger"], REPO / config["claims"]["schema"])
# Rule `model` runs the country panel's own exercises (cross-section, pooled composite); its shock x
# exposure models (kind panel) run in rule panel_models with the regional panels' (stages.smk).
MODELS = {m["name"]: m for m in config["models"] if m["kind"] != "panel"}
MAIN_MODEL = config["figures"]["main_model"]
EPISODES = [e["name"] for e in config["episodes"]]
PANEL_DATASETS = sorted({s["dataset"] for spec in config["series"].values() for s in spec["sources"]})
# Context analyses and the panels with a section of their own: each writes results/sections/<name>.md
# (Markdown whose numbers are read from its own results files); the report appends them in this order,
# a panel's section after the one its `section_after` names.
REPORT_SECTIONS = panel_registry.section_order(["complex_risk", "digital_divide", "trade_diversion", "gvc"])
# The robustness of every panel's headline model (workflow/rules/robustness.smk), then the panels side
# by side, after the sections.
REPORT_SECTIONS += ["robustness", "panel_comparison"]
# The motivating papers' numbers beside their regeneration (workflow/rules/claims.smk).
REPORT_SECTIONS += ["claims"]
# Provenance of the numbers (workflow/rules/lineage.smk): results file -> rule -> raw sha256; last.
REPORT_SECTIONS += ["lineage"]
FIGURES = ["peer_paths", "coefficients_main"] + [
    f"{kind}_{e}" for kind in ("output_by_tercile", "resistance_scatter") for e in EPISODES
]


include: "workflow/rules/common.smk"


wildcard_constraints:
    dataset="|".join(sorted(CATALOG.index)),
    model="|".join(sorted(MODELS)),
    episode="|".join(EPISODES),


include: "workflow/rules/download.smk"
include: "workflow/rules/clean.smk"
# Each panel's own rules (the rule that builds its panel and its own exercises), one file per panel
# of the registry: workflow/rules/panel_<id>.smk.
for _panel in panel_registry.ids():
    if (REPO / "workflow" / "rules" / f"panel_{_panel}.smk").is_file():

        include: f"workflow/rules/panel_{_panel}.smk"


include: "workflow/rules/measures.smk"
include: "workflow/rules/models.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/game.smk"
include: "workflow/rules/risk.smk"
include: "workflow/rules/divide.smk"
include: "workflow/rules/trade.smk"
include: "workflow/rules/gvc.smk"
include: "workflow/rules/manufacturing.smk"
include: "workflow/rules/stages.smk"
include: "workflow/rules/robustness.smk"
include: "workflow/rules/panel_comparison.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/lineage.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/replication.smk"
# Last: the manifest lists the results outputs of every rule included above.
include: "workflow/rules/manifest.smk"


rule all:
    default_target: True
    input:
        "results/report.md",
        "results/report.html",
        "results/MANIFEST.sha256",
        "results/REPLICATION.md",
        "results/report.pdf",


# The end of a successful run says where the report is and what it found (its abstract's first sentences):
# the run's own report, under its working directory (--directory), not the checkout's.
onsuccess:
    print(report_pointer(Path("results").resolve()))
