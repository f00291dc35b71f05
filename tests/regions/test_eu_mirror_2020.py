"""The data browser's SDMX-CSV 2.0 files of the real mirror: a few published values, their flags, and
the NUTS 2024 codes that the panel recodes to its target version (skipped without the mirror)."""

import math

import pytest

from resilience.panels.eu import nuts
from resilience.sources.parsers.eurostat import parse_eurostat_file, read_nuts_workbook
from tests.real_mirror import MIRROR_DIR, require_mirror

FOLDER = MIRROR_DIR / "eurostat"


@pytest.fixture(scope="module")
def gva():
    require_mirror(FOLDER / "nama_10r_2gvagr_sdmx-csv_2014-2023.csv", "the Eurostat GVA volume file")
    return parse_eurostat_file("eurostat_sdmx_csv2", FOLDER / "nama_10r_2gvagr_sdmx-csv_2014-2023.csv")


@pytest.fixture(scope="module")
def gdp():
    require_mirror(FOLDER / "nama_10r_2gdp_sdmx-csv_2014-2023.csv", "the Eurostat GDP file")
    return parse_eurostat_file("eurostat_sdmx_csv2", FOLDER / "nama_10r_2gdp_sdmx-csv_2014-2023.csv")


def _cell(table, geo, year):
    row = table[(table["geo"] == geo) & (table["year"] == year)]
    assert len(row) == 1, (geo, year)
    return float(row["value"].iloc[0]), row["flag"].iloc[0]


def test_gva_volume_index_values_and_flags(gva):
    table = gva.table
    assert gva.dimensions == ["freq", "na_item", "unit", "geo"] and len(table) == 3798
    assert set(table["na_item"]) == {"B1G"} and set(table["unit"]) == {"I15"}
    assert _cell(table, "DE11", 2019) == (104.3, "e") and _cell(table, "DE11", 2020) == (98.6, "b")
    assert _cell(table, "ITC4", 2020) == (98.7, "e") and _cell(table, "HR02", 2021) == (113.7, "")
    assert _cell(table, "HR02", 2023) == (123.9, "p")
    # the Netherlands only have their 2015 = 100 base rows, Portugal none
    assert set(table.loc[table["geo"].str.startswith("NL"), "year"]) == {2015}
    assert not table["geo"].str.startswith("PT").any()
    assert not table["value"].isna().any()


def test_gdp_current_prices_values_and_flags(gdp):
    table = gdp.table
    assert gdp.dimensions == ["freq", "unit", "geo"] and len(table) == 4625 and set(table["unit"]) == {"MIO_EUR"}
    assert _cell(table, "DE11", 2019) == (225172.86, "b") and _cell(table, "ITC4", 2020) == (372986.08, "")
    value, _ = _cell(table, "PT11", 2020)  # Portugal has GDP but no GVA volume rows
    assert value > 0 and not math.isnan(value)


def test_gva_regions_are_nuts_2024_and_harmonise_to_2021(gva):
    require_mirror(FOLDER / "NUTS2021-NUTS2024.xlsx", "the NUTS workbooks")
    import pandas as pd

    correspondence = pd.concat(
        [
            read_nuts_workbook(FOLDER / f)
            for f in ("NUTS2013-NUTS2016.xlsx", "NUTS2016-NUTS2021.xlsx", "NUTS2021-NUTS2024.xlsx")
        ],
        ignore_index=True,
    )
    regions = sorted({g for g in gva.table["geo"] if len(g) == 4 and not g.endswith("ZZ")})
    assert nuts.infer_version(regions, correspondence) == 2024
    fate = nuts.version_map(correspondence, 2024, 2021, regions).set_index("unit")
    assert fate.loc["DE11", "status"] == "unchanged" and fate.loc["DE11", "unit_target"] == "DE11"
    # Utrecht's NUTS 2024 code has no NUTS 2021 predecessor (the old NL31 had other borders)
    assert fate.loc["NL35", "status"] == "dropped" and nuts.drop_cause(fate.loc["NL35", "reason"]) == "new"
