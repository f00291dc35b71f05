"""The rule graph grouped by stage (resilience.provenance.rulegraph) on hand-made rules, and its figure."""

from resilience.figures.workflow import stage_graph_figure
from resilience.provenance.rulegraph import rule_edges, stage_graph, stage_of

RULES = [
    {"name": "download", "file": "workflow/rules/download.smk", "inputs": [], "outputs": ["data/raw/{dataset}"]},
    {
        "name": "clean",
        "file": "workflow/rules/clean.smk",
        "inputs": ["data/raw/{dataset}"],
        "outputs": ["data/interim/{dataset}.parquet"],
    },
    {
        "name": "country_panel",
        "file": "workflow/rules/panel_countries.smk",
        "inputs": ["data/interim/wdi.parquet", "config/sources.csv"],
        "outputs": ["data/processed/panel.parquet"],
    },
    {
        "name": "model",
        "file": "workflow/rules/models.smk",
        "inputs": ["data/processed/panel.parquet"],
        "outputs": ["results/tables/model_{model}.csv"],
    },
    {
        "name": "report",
        "file": "workflow/rules/report.smk",
        "inputs": ["results/tables/model_main.csv", "data/processed/panel.parquet"],
        "outputs": ["results/report.md"],
    },
    {"name": "all", "file": "Snakefile", "inputs": ["results/report.md"], "outputs": []},
]


def test_rules_are_linked_through_matching_files_wildcards_included():
    assert rule_edges(RULES) == {
        ("download", "clean"),
        ("clean", "country_panel"),
        ("country_panel", "model"),
        ("model", "report"),
        ("country_panel", "report"),
        ("report", "all"),
    }


def test_rules_are_grouped_by_their_file_s_stage_and_links_counted_between_stages():
    graph = stage_graph(RULES)
    assert graph["stages"] == [
        ("Raw files", ["download"]),
        ("Tidy tables", ["clean"]),
        ("Panels and measures", ["country_panel"]),
        ("Models", ["model"]),
        ("Report and provenance", ["report"]),
    ]
    assert graph["edges"] == [
        ("Raw files", "Tidy tables", 1),
        ("Tidy tables", "Panels and measures", 1),
        ("Panels and measures", "Models", 1),
        ("Panels and measures", "Report and provenance", 1),
        ("Models", "Report and provenance", 1),
    ]
    assert stage_of("workflow/rules/somethingelse.smk") == "Other"


def test_the_figure_draws_a_box_per_stage_and_an_arrow_per_stage_link():
    fig = stage_graph_figure(stage_graph(RULES))
    gids = [a.get_gid() for a in fig.findobj() if a.get_gid()]
    assert [g for g in gids if g.startswith("stage:")] == [
        "stage:Raw files",
        "stage:Tidy tables",
        "stage:Panels and measures",
        "stage:Models",
        "stage:Report and provenance",
    ]
    assert len([g for g in gids if g.startswith("edge:")]) == 5
