"""The EU panel's units and group: the shared measures, models and robustness code group units in a column
named ``group``; the EU panel, its tables, figures and section name a region's group ``country``, the real
two-letter country code they publish (and its number of groups ``countries``). These two mappings are the
only translation between the two.

The panel file also holds each country's own row (``level`` 0, unit = the country code): the national
benchmark of the Martin index. Those rows are never units: ``region_rows`` is what the shared code sees."""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError
from resilience.panels.eu.nuts import REGION_LEVEL

_TO_CORE = {"country": "group", "countries": "groups"}


def to_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the region's ``country`` named ``group`` (and a count ``countries`` named ``groups``),
    as the shared code takes it."""
    return frame.rename(columns=_TO_CORE)


def from_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` from the shared code with ``group`` named ``country`` again (``groups``: ``countries``), as
    the EU tables keep it."""
    return frame.rename(columns={core: own for own, core in _TO_CORE.items()})


def region_rows(panel: pd.DataFrame) -> pd.DataFrame:
    """The NUTS-2 regions' rows of the panel file, without the countries' own rows.

    A national total taken as one more unit would sit beside its own regions in a median or a count
    (and weigh as much as one region), so every frame of units the shared code gets from the panel
    file passes here; the national rows stay for the Martin benchmark only (``measures.martin_table``).
    """
    if "level" not in panel.columns:
        raise InputError(
            "EU panel file",
            "no column 'level'",
            field="level",
            expected="0 for a country's own row, 2 for a NUTS-2 region",
        )
    return panel[panel["level"] == REGION_LEVEL]
