"""The country panel's unit id: the shared measures and models name a panel's unit ``unit``; the country
panel, its tables and figures, the context analyses and the report name an economy by its ISO3 code
(``iso3``), a real code they join on. These two mappings are the only translation between the two."""

from __future__ import annotations

import pandas as pd


def to_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the economy column ``iso3`` named ``unit``, as the shared code takes it."""
    return frame.rename(columns={"iso3": "unit"})


def from_core(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` from the shared code with its ``unit`` column named ``iso3`` again, as the country tables keep it."""
    return frame.rename(columns={"unit": "iso3"})
