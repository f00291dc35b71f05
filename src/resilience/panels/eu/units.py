"""The EU panel's group: the shared measures, models and robustness code group units in a column named
``group``; the EU panel, its tables, figures and section name a region's group ``country``, the real
two-letter country code they publish (and its number of groups ``countries``). These two mappings are the
only translation between the two."""

from __future__ import annotations

import pandas as pd

_TO_CORE = {"country": "group", "countries": "groups"}


def to_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the region's ``country`` named ``group`` (and a count ``countries`` named ``groups``),
    as the shared code takes it."""
    return frame.rename(columns=_TO_CORE)


def from_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` from the shared code with ``group`` named ``country`` again (``groups``: ``countries``), as
    the EU tables keep it."""
    return frame.rename(columns={core: own for own, core in _TO_CORE.items()})
