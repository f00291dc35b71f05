"""The report's order, contents and exhibit numbering (resilience.report.layout) on hand-made Markdown."""

import markdown
import pytest

from resilience.report.layout import (
    APPENDIX_HEADING,
    assemble,
    headline,
    human_number,
    humanize_table_row,
    list_exhibits,
    number_exhibits,
    order_sections,
    table_of_contents,
)


def test_sections_are_ordered_by_name_and_unknown_ones_go_before_the_appendix():
    given = {
        "lineage": "",
        "robustness": "",
        "sources": "",
        "models": "",
        "claims": "",
        "findings": "",
        "abstract": "",
        "backup_game": "",
        "gvc": "",
        "figures": "",
        "references": "",
    }
    assert order_sections(given) == [
        "abstract",
        "findings",
        "claims",
        "models",
        "figures",
        "backup_game",
        "robustness",
        "gvc",
        "sources",
        "lineage",
        "references",
    ]


def test_appendix_sections_sit_one_level_down_under_the_appendix_heading():
    text = assemble(
        "T",
        "Preface.",
        {
            "sources": "## Data sources\n\n### Detail\n\nx",
            "findings": "## Findings\n\ny",
            "new_thing": "## New thing\n\nz",
        },
    )
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# T",
        "## Contents",
        "## Findings",
        "## New thing",
        APPENDIX_HEADING,
        "### Data sources",
        "#### Detail",
    ]


def test_contents_link_to_the_anchors_the_html_gives_the_headings():
    text = assemble(
        "Title",
        "p",
        {
            "findings": "## Findings\n\na",
            "robustness": "## Is the answer robust?\n\nb",
            "gvc": "## Findings\n\nc",
            "lineage": "## Provenance of the numbers\n\nd",
        },
    )
    contents = text.split("## Contents", 1)[1].split("\n## ", 1)[0]
    links = [line.split("](#")[1].rstrip(")") for line in contents.splitlines() if "](#" in line]
    assert links == ["findings", "is-the-answer-robust", "findings_1", "appendix", "provenance-of-the-numbers"]
    html = markdown.markdown(text, extensions=["tables", "toc"])
    for anchor in links:
        assert f'id="{anchor}"' in html


def test_figures_and_tables_are_numbered_in_reading_order_and_references_resolved():
    text = (
        "## A\n\nSee @tbl:first and @fig:map; @tbl:nothing stays.\n\n"
        "Table: {#tbl:first} First table (`results/tables/a.csv`).\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n"
        "![A map of things](figures/map.png){#fig:map}\n\n## B\n\n| z |\n|---|\n| 3 |\n"
    )
    numbered, exhibits = number_exhibits(text)
    assert "See Table 1 and Figure 1; @tbl:nothing stays." in numbered
    assert "**Table 1.** First table (`results/tables/a.csv`).\n\n| x | y |" in numbered
    assert "![Figure 1. A map of things](figures/map.png)\n\n**Figure 1.** A map of things" in numbered
    # a table without a caption is captioned by its heading
    assert "**Table 2.** B\n\n| z |" in numbered
    assert [(e.kind, e.number, e.caption, e.section, e.files) for e in exhibits] == [
        ("Table", 1, "First table (`results/tables/a.csv`).", "A", ("results/tables/a.csv",)),
        ("Figure", 1, "A map of things", "A", ("results/figures/map.png",)),
        ("Table", 2, "B", "B", ()),
    ]
    assert list_exhibits(numbered) == exhibits


@pytest.mark.parametrize(
    "cell, shown",
    [
        ("2.2e-05", "<0.001"),
        ("-2.2e-05", ">-0.001"),
        ("0.00531", "0.005"),
        ("0.0531", "0.053"),
        ("1.5", "1.5"),
        ("2019", "2019"),
        ("12345.678", "12,346"),
        ("1234567", "1,234,567"),
        ("-0.0001", ">-0.001"),
        ("0", "0"),
        ("-0.0004999", ">-0.001"),
        ("text 1.23456", "text 1.23456"),
        ("(0.500)", "(0.500)"),
        ("0.00049", "<0.001"),
        ("3.14159", "3.142"),
        ("1e3", "1000.000"),
    ],
)
def test_table_cells_are_formatted_for_people(cell, shown):
    assert human_number(cell) == shown


def test_a_table_row_is_humanized_cell_by_cell_and_the_rule_row_is_kept():
    assert humanize_table_row("| a | 2.2e-05 | 0.00531 |") == "| a | <0.001 | 0.005 |"
    assert humanize_table_row("|---|---:|") == "|---|---:|"
    assert humanize_table_row("| x \\| y | 1.23456 |") == "| x \\| y | 1.235 |"


def test_the_headline_is_the_abstract_s_first_paragraph():
    assert headline("# T\n\n## Abstract\n\nFirst line\nsecond.\n\nMore.\n") == "First line second."
    assert headline("# T\n\n## Findings\n\nx\n") == "(the report has no abstract)"


def test_contents_list_appendix_subsections_only():
    text = "## Findings\n\n### Detail\n\n## Appendix\n\n### Data sources\n"
    assert table_of_contents(text) == (
        "## Contents\n\n- [Findings](#findings)\n- [Appendix](#appendix)\n    - [Data sources](#data-sources)"
    )


def test_a_list_right_after_a_paragraph_line_is_set_apart_and_continuations_are_kept():
    from resilience.report.layout import separate_lists

    assert separate_lists("Sources:\n- a\n- b\n  more\n\n| x |\n- c") == "Sources:\n\n- a\n- b\n  more\n\n| x |\n- c"
    assert separate_lists("1. one\n2. two") == "1. one\n2. two"


def test_a_section_sends_its_long_table_to_the_appendix_and_its_reference_follows():
    """The models section keeps its plot and a reference; its table, after the marker, opens the appendix
    (before the appendix sections) and is numbered there, after the tables of the main text."""
    models = (
        "## Models\n\nAll terms in @tbl:full; plotted in @fig:coef.\n\n![Coefficients](figures/c.png){#fig:coef}\n\n"
        "<!-- appendix -->\n## Full model table\n\nTable: {#tbl:full} Every term\n\n| term | b |\n|---|---|\n| x | 1 |\n"
    )
    text = assemble(
        "T",
        "Preface.",
        {
            "sources": "## Data sources\n\nTable: Sources\n\n| s |\n|---|\n| a |",
            "models": models,
            "gvc": "## GVC\n\n| g |\n|---|\n| 1 |",
        },
    )
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# T",
        "## Contents",
        "## Models",
        "## GVC",
        APPENDIX_HEADING,
        "### Full model table",
        "### Data sources",
    ]
    assert "All terms in Table 2; plotted in Figure 1." in text
    assert "**Table 1.** GVC" in text and "**Table 2.** Every term" in text and "**Table 3.** Sources" in text
    assert "<!-- appendix -->" not in text
    assert [(e.kind, e.number, e.section) for e in list_exhibits(text)] == [
        ("Figure", 1, "Models"),
        ("Table", 1, "GVC"),
        ("Table", 2, "Full model table"),
        ("Table", 3, "Data sources"),
    ]
