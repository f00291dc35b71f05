"""Koopman-Wang-Wei decomposition: a 3-country, 2-sector system worked out by hand, and the accounting
identities on random systems."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resilience.context.gvc.kww import IoSystem, decompose_exports, industry_participation
from resilience.errors import InputError

COUNTRIES = ["C1", "C2", "C3"]
INDUSTRIES = ["s1", "s2"]


def toy_system() -> IoSystem:
    """Rows/columns C1s1, C1s2, C2s1, C2s2, C3s1, C3s2.

    Two cross-border intermediate links only: C1s1 sells 12 to C2s1, C2s1 sells 50 to C3s1.
    Final demand (row -> buying country): C1s1: C1 20, C3 10; C1s2: C2 5; C2s1: C2 10; C2s2: C2 7;
    C3s1: C3 50, C1 20, C2 30; C3s2: C3 4.
    Output x = 42, 5, 60, 7, 100, 4, so A[C1s1, C2s1] = 12/60 = 0.2 and A[C2s1, C3s1] = 50/100 = 0.5,
    every other coefficient 0.
    """
    z = np.zeros((6, 6))
    z[0, 2] = 12.0
    z[2, 4] = 50.0
    y = np.array([[20, 0, 10], [0, 5, 0], [0, 10, 0], [0, 7, 0], [20, 30, 50], [0, 0, 4]], dtype=float)
    x = z.sum(axis=1) + y.sum(axis=1)
    assert x.tolist() == [42, 5, 60, 7, 100, 4]
    return IoSystem(COUNTRIES, INDUSTRIES, z, y, x)


def row(table: pd.DataFrame, country: str) -> pd.Series:
    return table.set_index("country").loc[country]


def test_toy_system_decomposition_by_hand():
    # A is nilpotent: A^2 has one entry, [C1s1, C3s1] = 0.2 * 0.5 = 0.1, and A^3 = 0, so the Leontief
    # inverse is B = I + A + A^2: B[C1s1,C2s1] = 0.2, B[C2s1,C3s1] = 0.5, B[C1s1,C3s1] = 0.1, diagonal 1.
    # Value-added coefficients v = 1 - column sums of A: v(C2s1) = 0.8, v(C3s1) = 0.5, all others 1.
    # Gross exports: C1 = 12 (intermediates to C2) + 10 (final to C3) + 5 (final to C2) = 27;
    # C2 = 50 (intermediates to C3); C3 = 20 + 30 (final to C1 and C2) = 50.
    table = decompose_exports(toy_system())
    c1, c2, c3 = (row(table, c) for c in COUNTRIES)
    assert [c1.gross_exports, c2.gross_exports, c3.gross_exports] == pytest.approx([27, 50, 50])

    # Domestic content V_s B_ss E_s: C1 uses no imported inputs -> 27; C2: 0.8 * 50 = 40; C3: 0.5 * 50 = 25.
    # Foreign content: C1: 0; C2: v(C1s1) B[C1s1,C2s1] 50 = 0.2 * 50 = 10;
    # C3: (v(C2s1) B[C2s1,C3s1] + v(C1s1) B[C1s1,C3s1]) 50 = (0.8*0.5 + 0.1) * 50 = 25.
    assert [c1.domestic_content, c2.domestic_content, c3.domestic_content] == pytest.approx([27, 40, 25])
    assert [c1.foreign_content, c2.foreign_content, c3.foreign_content] == pytest.approx([0, 10, 25])

    # C1's domestic terms. T1 (final exports): 10 + 5 = 15. T2 (absorbed by the importer r):
    # B[C1s1,C2s1] Y(C2s1->C2) + B[C1s1,C3s1] Y(C3s1->C3) = 0.2*10 + 0.1*50 = 7. T3 (re-exported to a
    # third country): via C3 to C2, 0.1 * 30 = 3 (via C2 nothing: C2 exports no final goods).
    # T4 (back home in final imports): via C3 to C1, 0.1 * 20 = 2. T5 = T6 = 0 (nobody sells inputs to C1).
    # Check: 15 + 7 + 3 + 2 = 27 = domestic content.
    assert [c1[t] for t in ("t1", "t2", "t3", "t4", "t5", "t6")] == pytest.approx([15, 7, 3, 2, 0, 0])
    assert [c1[t] for t in ("t7", "t8", "t9")] == pytest.approx([0, 0, 0])

    # C2 (v = 0.8 on its exporting industry). T1 = 0 (no final exports); T2 = 0.8*0.5*Y(C3s1->C3) = 0.4*50 = 20;
    # T3 = 0.4 * Y(C3s1->C1) = 0.4*20 = 8; T4 = 0.4 * Y(C3s1->C2) = 0.4*30 = 12; 20 + 8 + 12 = 40.
    # Foreign terms: per unit of C2s1 output, foreign VA = v(C1s1) B[C1s1,C2s1] = 0.2.
    # T7 = 0 (no final exports); T8 = 0.2 * A[C2s1,C3s1] L_33 Y_33 = 0.2 * 0.5 * 50 = 5;
    # T9 = 0.2 * A[C2s1,C3s1] L_33 E_3 = 0.2 * 0.5 * 50 = 5 (C3s1's own exports, 50, use C2's inputs again).
    # 5 + 5 = 10 = foreign content.
    assert [c2[t] for t in ("t1", "t2", "t3", "t4", "t5", "t6")] == pytest.approx([0, 20, 8, 12, 0, 0])
    assert [c2[t] for t in ("t7", "t8", "t9")] == pytest.approx([0, 5, 5])

    # C3 exports only final goods (50): T1 = 0.5 * 50 = 25; T7 = (0.8*0.5 + 0.1) * 50 = 25; the rest 0.
    assert [c3[t] for t in ("t1", "t2", "t3", "t4", "t5", "t6")] == pytest.approx([25, 0, 0, 0, 0, 0])
    assert [c3[t] for t in ("t7", "t8", "t9")] == pytest.approx([25, 0, 0])

    # Forward participation. VS1 (DVA in partners' gross exports): C1: v(C1s1) (B[C1s1,C2s1] E(C2s1) +
    # B[C1s1,C3s1] E(C3s1)) = 0.2*50 + 0.1*50 = 15; C2: 0.8 * B[C2s1,C3s1] E(C3s1) = 0.8*0.5*50 = 20; C3: 0.
    # Summed, 15 + 20 + 0 = 35 = 0 + 10 + 25, the world's foreign content. IV is T3: 3, 8, 0.
    assert [c1.dva_in_partner_exports, c2.dva_in_partner_exports, c3.dva_in_partner_exports] == pytest.approx([15, 20, 0])
    assert [c1.indirect_va_exports, c2.indirect_va_exports, c3.indirect_va_exports] == pytest.approx([3, 8, 0])
    # VAX (T1+T2+T3) of C1 = 25: C1's value added 42 + 5 = 47, less what C1 absorbs itself: its own final
    # demand for C1s1 (20) and its value added coming back in C3's final goods (0.1 * 20 = 2) -> 47 - 22 = 25.
    assert [c1.vax, c2.vax, c3.vax] == pytest.approx([25, 28, 25])
    assert [c1.dva, c2.dva, c3.dva] == pytest.approx([27, 40, 25])


def test_toy_system_by_industry():
    table = industry_participation(toy_system()).set_index(["country", "industry"])
    # C1s1 exports 22, all domestic, and 15 of its value added is in partners' exports; C1s2 exports 5.
    assert table.loc[("C1", "s1")].tolist() == pytest.approx([22, 22, 0, 15])
    assert table.loc[("C1", "s2")].tolist() == pytest.approx([5, 5, 0, 0])
    assert table.loc[("C2", "s1")].tolist() == pytest.approx([50, 40, 10, 20])
    assert table.loc[("C2", "s2")].tolist() == pytest.approx([0, 0, 0, 0])
    assert table.loc[("C3", "s1")].tolist() == pytest.approx([50, 25, 25, 0])


def random_system(seed: int, countries: int = 4, industries: int = 3) -> IoSystem:
    rng = np.random.default_rng(seed)
    n = countries * industries
    z = rng.uniform(0, 10, (n, n))
    y = rng.uniform(5, 20, (n, countries))
    x = z.sum(axis=1) + y.sum(axis=1)
    return IoSystem([f"K{i}" for i in range(countries)], [f"i{j}" for j in range(industries)], z, y, x)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_identities_on_random_systems(seed):
    system = random_system(seed)
    table = decompose_exports(system)
    terms = table[[f"t{k}" for k in range(1, 10)]]
    # Domestic + foreign content = gross exports (column sums of V B are one).
    np.testing.assert_allclose(table["domestic_content"] + table["foreign_content"], table["gross_exports"], rtol=1e-10)
    # The KWW terms, computed block by block, add up to the contents computed from V B directly.
    np.testing.assert_allclose(terms[[f"t{k}" for k in range(1, 7)]].sum(axis=1), table["domestic_content"], rtol=1e-10)
    np.testing.assert_allclose(terms[["t7", "t8", "t9"]].sum(axis=1), table["foreign_content"], rtol=1e-10)
    np.testing.assert_allclose(terms.sum(axis=1), table["gross_exports"], rtol=1e-10)
    # World total: value added embodied in partners' exports = foreign content of all exports.
    assert table["dva_in_partner_exports"].sum() == pytest.approx(table["foreign_content"].sum(), rel=1e-10)
    # Gross exports from the definition, independently: all sales to other countries.
    k = len(system.industries)
    for s, country in enumerate(system.countries):
        own = slice(s * k, (s + 1) * k)
        direct = system.intermediate[own].sum() - system.intermediate[own, own].sum() \
            + system.final_demand[own].sum() - system.final_demand[own, s].sum()
        assert table.set_index("country").at[country, "gross_exports"] == pytest.approx(direct)
    assert (terms >= -1e-9).all().all()


def test_industry_parts_sum_to_country_totals():
    system = random_system(5)
    country = decompose_exports(system).set_index("country")
    industry = industry_participation(system).groupby("country").sum(numeric_only=True)
    for column in ("gross_exports", "domestic_content", "foreign_content", "dva_in_partner_exports"):
        np.testing.assert_allclose(industry[column], country[column], rtol=1e-12)


def test_shape_mismatch_names_the_matrix():
    with pytest.raises(InputError, match=r"final_demand.*shape \(6, 3\)"):
        IoSystem(COUNTRIES, INDUSTRIES, np.zeros((6, 6)), np.zeros((6, 2)), np.ones(6))
