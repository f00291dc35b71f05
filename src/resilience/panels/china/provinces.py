"""The 31 provincial-level divisions of mainland China: NBS names -> GB/T 2260 codes and English names.

The names are written exactly as the National Bureau of Statistics writes them in its 分省年度数据
exports (full names such as 内蒙古自治区); the short names (内蒙古) are those of compiled panels
and of the PKU index's own tables. Codes are the first two digits of GB/T 2260 (110000 -> 11);
the NBS query interface uses the six-digit form. Hong Kong, Macao and Taiwan are not in the NBS
provincial database and not in this table. ``全国`` (the national total NBS adds when asked) maps
to the national unit ``NATIONAL_UNIT``.

Panel unit ids are ``CN`` + the two-digit code (``CN11`` for Beijing): letters first, so a CSV
reader never turns them into numbers.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError

PROVINCE_COLUMNS = ["gb_code", "unit", "name_nbs", "name_short", "name_en"]
NATIONAL_UNIT = "CN"
NATIONAL_NAMES = ("全国",)

# (GB/T 2260 code, NBS full name, short name, English name), in the NBS export order.
_PROVINCES = [
    ("11", "北京市", "北京", "Beijing"),
    ("12", "天津市", "天津", "Tianjin"),
    ("13", "河北省", "河北", "Hebei"),
    ("14", "山西省", "山西", "Shanxi"),
    ("15", "内蒙古自治区", "内蒙古", "Inner Mongolia"),
    ("21", "辽宁省", "辽宁", "Liaoning"),
    ("22", "吉林省", "吉林", "Jilin"),
    ("23", "黑龙江省", "黑龙江", "Heilongjiang"),
    ("31", "上海市", "上海", "Shanghai"),
    ("32", "江苏省", "江苏", "Jiangsu"),
    ("33", "浙江省", "浙江", "Zhejiang"),
    ("34", "安徽省", "安徽", "Anhui"),
    ("35", "福建省", "福建", "Fujian"),
    ("36", "江西省", "江西", "Jiangxi"),
    ("37", "山东省", "山东", "Shandong"),
    ("41", "河南省", "河南", "Henan"),
    ("42", "湖北省", "湖北", "Hubei"),
    ("43", "湖南省", "湖南", "Hunan"),
    ("44", "广东省", "广东", "Guangdong"),
    ("45", "广西壮族自治区", "广西", "Guangxi"),
    ("46", "海南省", "海南", "Hainan"),
    ("50", "重庆市", "重庆", "Chongqing"),
    ("51", "四川省", "四川", "Sichuan"),
    ("52", "贵州省", "贵州", "Guizhou"),
    ("53", "云南省", "云南", "Yunnan"),
    ("54", "西藏自治区", "西藏", "Tibet"),
    ("61", "陕西省", "陕西", "Shaanxi"),
    ("62", "甘肃省", "甘肃", "Gansu"),
    ("63", "青海省", "青海", "Qinghai"),
    ("64", "宁夏回族自治区", "宁夏", "Ningxia"),
    ("65", "新疆维吾尔自治区", "新疆", "Xinjiang"),
]


def province_table() -> pd.DataFrame:
    """The 31 provinces, columns ``PROVINCE_COLUMNS``, in GB/T 2260 code order."""
    rows = [(code, unit_id(code), full, short, english) for code, full, short, english in _PROVINCES]
    return pd.DataFrame(rows, columns=PROVINCE_COLUMNS)


def unit_id(gb_code: str) -> str:
    """``'11'`` or ``'110000'`` -> ``'CN11'``."""
    return "CN" + str(gb_code).strip()[:2]


def name_to_unit(names, *, what: str = "province names") -> pd.Series:
    """Province names (full NBS, short, or English; surrounding spaces ignored) -> unit ids.

    ``全国`` gives ``NATIONAL_UNIT``. An unknown name is an ``InputError`` listing it, because a
    silently dropped province would change every national sum.
    """
    lookup = _lookup()
    names = pd.Series(names, dtype="object")
    cleaned = names.map(lambda n: "".join(str(n).split()))
    units = cleaned.map(lookup)
    unknown = sorted(set(names[units.isna()].astype(str)))
    if unknown:
        raise InputError(what, f"unknown province names {unknown}", field="province",
                         expected="one of the 31 NBS province names (full or short) or 全国")
    return units.astype(str)


def code_to_unit(codes, *, what: str = "province codes") -> pd.Series:
    """GB/T 2260 codes (two- or six-digit, numbers or text) -> unit ids; 000000 is the nation."""
    known = set(province_table()["gb_code"])
    text = pd.Series(codes, dtype="object").map(lambda c: _code_text(c))
    national = text.str.fullmatch("0+")
    bad = ~national & ~text.str[:2].isin(known)
    if bad.any():
        raise InputError(what, f"unknown province codes {sorted(set(text[bad]))}", field="code",
                         expected="GB/T 2260 provincial codes such as 11 or 110000")
    return text.where(national, "CN" + text.str[:2]).where(~national, NATIONAL_UNIT)


def _code_text(code) -> str:
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    return str(code).strip()


def _lookup() -> dict[str, str]:
    table = province_table()
    lookup = {name: NATIONAL_UNIT for name in NATIONAL_NAMES}
    for column in ("name_nbs", "name_short", "name_en"):
        lookup.update(zip(table[column], table["unit"]))
    return lookup


__all__ = ["NATIONAL_UNIT", "PROVINCE_COLUMNS", "code_to_unit", "name_to_unit", "province_table", "unit_id"]
