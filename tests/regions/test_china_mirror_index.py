"""The publisher GDP index in the real mirror against the GDP levels of the same vintage (skipped
without the mirror; required under CI, see tests/real_mirror.py).

What is compared. The index (地区生产总值指数, previous year = 100) is REAL growth, at constant prices;
the GDP levels (地区生产总值, 亿元) are NOMINAL. Their log difference per province and year is the
implied GDP deflator change, d = 100 ln(GDP_t / GDP_t-1) - 100 ln(I_t / 100), which is not zero, so
agreement means, for 2016-2024:
- every province-year: |d| <= 20 log points (the largest in the files is Shanxi 2021, about 15,
  the coal-price boom; a mis-dated or mis-scaled index gives 5-100+);
- every year: the median d across provinces lies in [-3, 6] log points (China's deflator in these years);
- every year: real and nominal growth correlate across provinces at 0.3 or more (a row dated one year
  off correlates far less).
And the vintage: the by-industry exports' GDP equals the GDP export's level exactly (one decimal) for
2019-2024, so both files are the same revised vintage as the index file.
"""

from __future__ import annotations

import numpy as np
import pytest

from resilience.sources.parsers.nbs import parse_nbs_export
from tests.real_mirror import MIRROR_DIR, require_mirror

FOLDER = MIRROR_DIR / "nbs-provinces"
INDEX_FILE, GDP_FILE = "nbs_fsnd_gdp_index_2016-2024_v2026.csv", "nbs_fsnd_gdp_2006-2024_v2025.csv"
CELL_TOLERANCE, MEDIAN_BAND, MIN_CORRELATION = 20.0, (-3.0, 6.0), 0.3


@pytest.fixture(scope="module")
def tables():
    folder = require_mirror(FOLDER, "the NBS province files of the mirror")
    index = parse_nbs_export(folder / INDEX_FILE, indicator="地区生产总值指数(上年=100)").table
    gdp = parse_nbs_export(folder / GDP_FILE).table
    return (index.pivot(index="country_name", columns="year", values="value"),
            gdp.pivot(index="country_name", columns="year", values="value"), folder)


def test_publisher_index_agrees_with_nominal_growth_of_the_same_vintage(tables):
    index, gdp, _ = tables
    years = list(range(2016, 2025))
    assert sorted(index.columns) == years and len(index) == 31
    real = 100 * np.log(index[years] / 100)
    nominal = 100 * np.log(gdp[years].to_numpy() / gdp[[y - 1 for y in years]].to_numpy())
    deflator = nominal - real.to_numpy()
    assert np.isfinite(deflator).all()
    assert np.abs(deflator).max() <= CELL_TOLERANCE
    medians = np.median(deflator, axis=0)
    assert ((medians >= MEDIAN_BAND[0]) & (medians <= MEDIAN_BAND[1])).all(), dict(zip(years, medians.round(2)))
    for k, year in enumerate(years):
        assert np.corrcoef(real[year], nominal[:, k])[0, 1] >= MIN_CORRELATION, year
    assert index.loc["湖北省", 2020] == 94.6                     # the 2020 shock, dated 2020


def test_by_industry_gdp_is_the_same_vintage_as_the_gdp_export(tables):
    _, gdp, folder = tables
    for year in range(2019, 2025):
        table = parse_nbs_export(folder / f"nbs_fsnd_gdp_by_industry_{year}_v2026.csv").table
        level = table[table["series"] == "地区生产总值 (亿元)"].set_index("country_name")["value"]
        assert len(level) == 31
        assert np.allclose(level, gdp.loc[level.index, year], atol=0.05), year
