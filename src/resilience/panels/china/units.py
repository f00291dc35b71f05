"""The province panel's group: the shared measures, models and robustness code group units in a column
named ``group``; the province tables carry no group column, as every province is in one country
(``measures.COUNTRY``), and name the summaries' number of groups ``countries``. These two mappings are
the only translation between the two."""

from __future__ import annotations

import pandas as pd

from resilience.panels.china.measures import COUNTRY


def to_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every province's ``group`` (the one country) added and a count ``countries`` named
    ``groups``, as the shared code takes it."""
    return frame.rename(columns={"countries": "groups"}).assign(group=COUNTRY)


def from_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` from the shared code without its ``group`` column and with ``groups`` named ``countries``
    again, as the province tables keep it."""
    return frame.drop(columns="group", errors="ignore").rename(columns={"groups": "countries"})
