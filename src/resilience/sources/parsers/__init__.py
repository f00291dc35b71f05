"""Parsers for the publishers' raw files, and a registry naming them by format.

Every parser takes the path of one raw file and returns a ``resilience.tidy.Parsed``; bad input
raises ``resilience.errors.InputError``. ``PARSERS`` maps the ``live_format`` / ``mirror_format``
names of ``config/sources.csv`` to these functions.
"""

from __future__ import annotations

from typing import Callable

from resilience.sources.parsers._common import dispatch
from resilience.sources.parsers.itu import parse_itu_country_xls
from resilience.sources.parsers.owid import parse_owid_grapher_csv
from resilience.sources.parsers.wdi import (
    parse_wb_api_json, parse_wdi_databank_zip, parse_wdi_indicator_csv, parse_wdi_indicator_excel,
)
from resilience.tidy import Parsed

PARSERS: dict[str, Callable[..., Parsed]] = {
    "wdi_csv": parse_wdi_indicator_csv,
    "wdi_excel": parse_wdi_indicator_excel,
    "wdi_databank": parse_wdi_databank_zip,
    "wb_api_json": parse_wb_api_json,
    "itu_xls": parse_itu_country_xls,
    "owid_csv": parse_owid_grapher_csv,
}

# The UN AMA parser lives in its own module, which may not exist yet: register it when it does,
# but let a real error inside that module surface rather than hide it.
try:
    from resilience.sources.parsers.ama import parse_ama_workbook
except ModuleNotFoundError as exc:
    if exc.name != "resilience.sources.parsers.ama":
        raise
else:
    PARSERS["ama_xlsx"] = parse_ama_workbook

# Chinese provinces: NBS 分省年度数据 exports and query answers, the PKU index, compiled panels.
from resilience.sources.parsers.nbs import (  # noqa: E402
    parse_nbs_compiled_csv, parse_nbs_easyquery_json, parse_nbs_export, parse_pku_dfiic_dta,
)

PARSERS.update({"nbs_csv": parse_nbs_export, "nbs_xlsx": parse_nbs_export, "nbs_xls": parse_nbs_export,
                "nbs_easyquery_json": parse_nbs_easyquery_json, "pku_dfiic_dta": parse_pku_dfiic_dta,
                "nbs_compiled_csv": parse_nbs_compiled_csv})


def parse(format_name: str, path, **kwargs) -> Parsed:
    """Parse ``path`` with the parser registered for ``format_name``."""
    return dispatch(PARSERS, "", format_name, path, **kwargs)


__all__ = ["PARSERS", "parse"]
