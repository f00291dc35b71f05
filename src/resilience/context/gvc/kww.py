"""Value added in gross exports from an inter-country input-output system (Koopman, Wang and Wei 2014).

Notation (G countries, N industries each, n = G N; blocks ``_sr`` are rows of country s, columns of r):
``Z`` intermediate use, ``Y[:, r]`` final demand of country r, ``x`` output, ``A = Z diag(x)^-1``,
``B = (I - A)^-1`` the global Leontief inverse, ``L_ss = (I - A_ss)^-1`` the domestic one, and
``v = 1 - u A`` the value-added coefficients (so ``u diag(v) B = u``: every unit of output is value
added somewhere). ``v`` therefore counts taxes less subsidies on intermediate products as value added
of the using industry; with them left out the identities below hold only up to those taxes.
Gross exports of s: ``E_s = sum_{r != s} (A_sr x_r + Y_sr)`` (N-vector).

Gross exports split into domestic and foreign content (KWW 2014, eq. 36),
``u E_s = V_s B_ss E_s + sum_{t != s} V_t B_ts E_s``, and further (eq. 37) into nine terms:

====  =====================================================================  ==============================
T1    ``V_s B_ss sum_{r!=s} Y_sr``                                            DVA in final goods exports
T2    ``V_s sum_{r!=s} B_sr Y_rr``                                            DVA absorbed by direct importers
T3    ``V_s sum_{r!=s} sum_{t!=s,r} B_sr Y_rt``                               DVA re-exported to third countries (IV)
T4    ``V_s sum_{r!=s} B_sr Y_rs``                                            DVA returning home in final imports
T5    ``V_s sum_{r!=s} B_sr A_rs L_ss Y_ss``                                  DVA returning home in intermediate imports
T6    ``V_s sum_{r!=s} B_sr A_rs L_ss E_s``                                   double-counted domestic value added
T7    ``sum_{t!=s} V_t B_ts sum_{r!=s} Y_sr``                                 FVA in final goods exports
T8    ``sum_{t!=s} V_t B_ts sum_{r!=s} A_sr L_rr Y_rr``                       FVA in intermediate exports
T9    ``sum_{t!=s} V_t B_ts sum_{r!=s} A_sr L_rr E_r``                        double-counted foreign value added
====  =====================================================================  ==============================

T1..T6 sum to the domestic content, T7..T9 to the foreign content, all nine to gross exports.
Participation as a share of gross exports: backward = foreign content (T7+T8+T9, TiVA's EXGR_FVA);
forward = the exporter's value added embodied in partners' gross exports,
``VS1_s = V_s sum_{r != s} B_sr E_r`` (Hummels-Ishii-Yi's VS1; TiVA's EXGR_DVAFX), with KWW's narrower
indirect value-added exports IV = T3 reported beside it. Summed over all countries, VS1 equals the
foreign content: what one country's exports embody of others is what the others supply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from resilience.errors import InputError

TERMS = [f"t{k}" for k in range(1, 10)]
COUNTRY_COLUMNS = ["country", "gross_exports", "domestic_content", "foreign_content", *TERMS,
                   "vax", "dva", "indirect_va_exports", "dva_in_partner_exports"]
INDUSTRY_COLUMNS = ["country", "industry", "gross_exports", "domestic_content", "foreign_content",
                    "dva_in_partner_exports"]


@dataclass
class IoSystem:
    """An inter-country IO system: ``intermediate`` (n x n), ``final_demand`` (n x G, columns in the
    order of ``countries``), ``output`` (n); rows ordered country by country, ``industries`` within."""

    countries: list[str]
    industries: list[str]
    intermediate: np.ndarray
    final_demand: np.ndarray
    output: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.countries) * len(self.industries)
        shapes = {"intermediate": (n, n), "final_demand": (n, len(self.countries)), "output": (n,)}
        for name, shape in shapes.items():
            value = np.asarray(getattr(self, name), dtype="float64")
            if value.shape != shape:
                raise InputError("IO system", f"{name} has shape {value.shape}", field=name,
                                 expected=f"shape {shape} for {len(self.countries)} countries x "
                                          f"{len(self.industries)} industries")
            setattr(self, name, value)
        if (self.output < 0).any():
            raise InputError("IO system", "negative output", field="output", expected="output >= 0")

    @property
    def size(self) -> tuple[int, int]:
        return len(self.countries), len(self.industries)


def system_from_icio(table) -> IoSystem:
    """An :class:`IoSystem` from a parsed ICIO table (``resilience.sources.parsers.icio.IcioTable``)."""
    countries, industries = table.countries, table.industries
    expected = pd.MultiIndex.from_product([countries, industries])
    if not table.intermediate.index.equals(expected):
        raise InputError("ICIO table", "rows are not every country x every industry in order",
                         expected="the same industries, in the same order, for every country")
    missing = [c for c in countries if c not in table.final_demand.columns]
    if missing:
        raise InputError("ICIO table", f"no final demand columns for {missing}", field="final_demand",
                         expected="<country>_HFCE ... for every country with industry rows")
    extra = [c for c in table.final_demand.columns if c not in countries]
    if extra:
        raise InputError("ICIO table", f"final demand of {extra}, which have no industry rows",
                         field="final_demand", expected="final demand only of countries in the matrix")
    return IoSystem(countries, industries, table.intermediate.to_numpy(),
                    table.final_demand[countries].to_numpy(), table.output.to_numpy())


@dataclass
class _Solved:
    """The matrices every term needs, computed once."""

    a: np.ndarray
    b: np.ndarray
    v: np.ndarray
    exports: np.ndarray          # n-vector of gross exports by exporting row
    domestic_inverse: list[np.ndarray]
    blocks: list[slice]


def _solve(system: IoSystem) -> _Solved:
    g, k = system.size
    n = g * k
    x = system.output
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(x > 0, system.intermediate / np.where(x > 0, x, 1.0), 0.0)
    v = 1.0 - a.sum(axis=0)
    b = np.linalg.solve(np.eye(n) - a, np.eye(n))
    blocks = [slice(c * k, (c + 1) * k) for c in range(g)]
    exports = np.zeros(n)
    for s, rows in enumerate(blocks):
        own = np.zeros(n, dtype=bool)
        own[rows] = True
        exports[rows] = (system.intermediate[rows][:, ~own].sum(axis=1)
                         + np.delete(system.final_demand[rows], s, axis=1).sum(axis=1))
    domestic = [np.linalg.solve(np.eye(k) - a[rows, rows], np.eye(k)) for rows in blocks]
    return _Solved(a, b, v, exports, domestic, blocks)


def _terms(system: IoSystem, m: _Solved, s: int) -> dict[str, float]:
    y, a, b, v, e = system.final_demand, m.a, m.b, m.v, m.exports
    S = m.blocks[s]
    others = [r for r in range(len(m.blocks)) if r != s]
    v_s = v[S]
    # Sum over t != s of V_t B_ts: the foreign value added per unit of s's output, by s's industry.
    foreign_per_unit = sum(v[m.blocks[t]] @ b[m.blocks[t], S] for t in others)
    e_s = e[S]
    y_exported = sum(y[S, r] for r in others)
    t = {
        "t1": v_s @ b[S, S] @ y_exported,
        "t2": sum(v_s @ b[S, m.blocks[r]] @ y[m.blocks[r], r] for r in others),
        # Final demand of third countries q (neither s nor r) for r's products: all of r's final sales
        # less those to s and to r itself.
        "t3": sum(v_s @ b[S, m.blocks[r]] @ (y[m.blocks[r]].sum(axis=1) - y[m.blocks[r], s] - y[m.blocks[r], r])
                  for r in others),
        "t4": sum(v_s @ b[S, m.blocks[r]] @ y[m.blocks[r], s] for r in others),
        "t5": sum(v_s @ b[S, m.blocks[r]] @ a[m.blocks[r], S] @ m.domestic_inverse[s] @ y[S, s] for r in others),
        "t6": sum(v_s @ b[S, m.blocks[r]] @ a[m.blocks[r], S] @ m.domestic_inverse[s] @ e_s for r in others),
        "t7": foreign_per_unit @ y_exported,
        "t8": sum(foreign_per_unit @ a[S, m.blocks[r]] @ m.domestic_inverse[r] @ y[m.blocks[r], r] for r in others),
        "t9": sum(foreign_per_unit @ a[S, m.blocks[r]] @ m.domestic_inverse[r] @ e[m.blocks[r]] for r in others),
    }
    return {key: float(value) for key, value in t.items()}


def decompose_exports(system: IoSystem) -> pd.DataFrame:
    """One row per country: gross exports, domestic and foreign content, the nine KWW terms, VAX
    (T1-T3), DVA (T1-T5), IV (T3) and the value added embodied in partners' exports (VS1)."""
    m = _solve(system)
    by_industry = _industry_parts(system, m)
    rows = []
    for s, country in enumerate(system.countries):
        terms = _terms(system, m, s)
        part = by_industry[by_industry["country"] == country]
        rows.append({"country": country, "gross_exports": float(m.exports[m.blocks[s]].sum()),
                     "domestic_content": float(part["domestic_content"].sum()),
                     "foreign_content": float(part["foreign_content"].sum()), **terms,
                     "vax": terms["t1"] + terms["t2"] + terms["t3"],
                     "dva": sum(terms[f"t{k}"] for k in range(1, 6)),
                     "indirect_va_exports": terms["t3"],
                     "dva_in_partner_exports": float(part["dva_in_partner_exports"].sum())})
    return pd.DataFrame(rows, columns=COUNTRY_COLUMNS)


def _industry_parts(system: IoSystem, m: _Solved) -> pd.DataFrame:
    vb = m.v[:, None] * m.b
    rows = []
    for s, S in enumerate(m.blocks):
        own = np.zeros(len(m.v), dtype=bool)
        own[S] = True
        e_s = m.exports[S]
        domestic = vb[S, S].sum(axis=0) * e_s           # by exporting industry
        foreign = vb[~own][:, S].sum(axis=0) * e_s      # by exporting industry
        embodied = m.v[S] * (m.b[S][:, ~own] @ m.exports[~own])   # by industry of origin
        for j, industry in enumerate(system.industries):
            rows.append({"country": system.countries[s], "industry": industry, "gross_exports": float(e_s[j]),
                         "domestic_content": float(domestic[j]), "foreign_content": float(foreign[j]),
                         "dva_in_partner_exports": float(embodied[j])})
    return pd.DataFrame(rows, columns=INDUSTRY_COLUMNS)


def industry_participation(system: IoSystem) -> pd.DataFrame:
    """One row per country x industry: gross exports, their domestic and foreign content (by
    exporting industry) and the industry's value added embodied in partners' exports (by industry of
    origin, as TiVA's EXGR_DVAFX by activity)."""
    return _industry_parts(system, _solve(system))


__all__ = ["IoSystem", "system_from_icio", "decompose_exports", "industry_participation", "TERMS"]
