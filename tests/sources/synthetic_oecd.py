"""Synthetic OECD files in the publisher's exact layouts: SDMX-CSV from sdmx.oecd.org (1.0, 2.0 and the
Data Explorer's "with labels" download) and the ICIO CSV matrix.

SDMX-CSV as the OECD .Stat Suite writes it: UTF-8 with a byte-order mark, CRLF line ends, a header of
SDMX ids (``DATAFLOW`` or ``STRUCTURE,STRUCTURE_ID,...``), dimensions in the data structure's order,
``TIME_PERIOD``, ``OBS_VALUE``, then the attributes ``OBS_STATUS``, ``UNIT_MULT``, ``DECIMALS``; in
the labelled download every code column is followed by its label column (headed by the concept's name)
and empty cells stand for an attribute that is not set.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

SHARES_FLOW = "OECD.STI.PIE:DSD_TIVA_MAINSH@DF_MAINSH(1.1)"
LEVELS_FLOW = "OECD.STI.PIE:DSD_TIVA_MAINLV@DF_MAINLV(1.1)"
FLOW_NAMES = {SHARES_FLOW: "Trade in Value Added (TiVA) 2025 edition: principal indicators, shares",
              LEVELS_FLOW: "Trade in Value Added (TiVA) 2025 edition: principal indicators, levels"}
DIMENSIONS = ["MEASURE", "REF_AREA", "ACTIVITY", "COUNTERPART_AREA", "UNIT_MEASURE", "FREQ"]
ATTRIBUTES = ["OBS_STATUS", "UNIT_MULT", "DECIMALS"]
CONCEPT_NAMES = {
    "MEASURE": "Measure", "REF_AREA": "Reference area", "ACTIVITY": "Economic activity",
    "COUNTERPART_AREA": "Counterpart area", "UNIT_MEASURE": "Unit of measure",
    "FREQ": "Frequency of observation", "TIME_PERIOD": "Time period", "OBS_VALUE": "Observation value",
    "OBS_STATUS": "Observation status", "UNIT_MULT": "Unit multiplier", "DECIMALS": "Decimals",
}
CODE_LABELS = {
    "EXGR_FVA": "Foreign value added content of gross exports",
    "EXGR_DVAFX": "Domestic value added embodied in foreign exports",
    "EXGR": "Gross exports",
    "CHN": "China (People's Republic of)", "USA": "United States", "JPN": "Japan", "DEU": "Germany",
    "KOR": "Korea", "IND": "India", "MEX": "Mexico", "W": "World",
    "_T": "Total - all activities", "C10T12": "Food products, beverages and tobacco",
    "C13T15": "Textiles, textile products, leather and footwear", "C26": "Computer, electronic and optical products",
    "C27": "Electrical equipment", "PT_EXGR": "Percentage of gross exports",
    "USD_EXC": "US dollars, exchange rate converted", "A": "Annual",
}
STATUS_LABELS = {"A": "Normal value", "E": "Estimated value", "M": "Missing value", "": ""}
MULT_LABELS = {"0": "Units", "6": "Millions", "": ""}


def observation(measure, area, activity, year, value, *, unit="PT_EXGR", counterpart="W", status="A",
                mult="0", decimals="1") -> dict:
    """One record; ``value`` None writes an empty OBS_VALUE."""
    return {"MEASURE": measure, "REF_AREA": area, "ACTIVITY": activity, "COUNTERPART_AREA": counterpart,
            "UNIT_MEASURE": unit, "FREQ": "A", "TIME_PERIOD": str(year),
            "OBS_VALUE": "" if value is None else repr(value) if isinstance(value, float) else str(value),
            "OBS_STATUS": status, "UNIT_MULT": mult, "DECIMALS": decimals}


def sdmx_csv_text(observations: list[dict], *, layout: str = "labels", flow: str = SHARES_FLOW) -> str:
    """The file's text. Layouts: 'v1' (DATAFLOW, ids), 'v1_inline' (labels=both: 'CODE: label' cells),
    'v2' (STRUCTURE, STRUCTURE_ID, ACTION), 'labels' (the Data Explorer's csvfilewithlabels)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    codes = DIMENSIONS + ["TIME_PERIOD", "OBS_VALUE"] + ATTRIBUTES
    if layout == "v1":
        writer.writerow(["DATAFLOW"] + codes)
        for obs in observations:
            writer.writerow([flow] + [obs[c] for c in codes])
    elif layout == "v1_inline":
        writer.writerow(["DATAFLOW"] + [f"{c}: {CONCEPT_NAMES[c]}" if c in DIMENSIONS else c for c in codes])
        for obs in observations:
            writer.writerow([flow] + [f"{obs[c]}: {CODE_LABELS.get(obs[c], obs[c])}" if c in DIMENSIONS else obs[c]
                                      for c in codes])
    elif layout == "v2":
        writer.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION"] + codes)
        for obs in observations:
            writer.writerow(["dataflow", flow, "I"] + [obs[c] for c in codes])
    elif layout == "labels":
        header = ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"]
        for c in codes:
            header += [c, CONCEPT_NAMES[c]]
        writer.writerow(header)
        for obs in observations:
            row = ["dataflow", flow, FLOW_NAMES[flow], "I"]
            for c in codes:
                if c in DIMENSIONS:
                    label = CODE_LABELS.get(obs[c], obs[c])
                elif c == "OBS_STATUS":
                    label = STATUS_LABELS[obs[c]]
                elif c == "UNIT_MULT":
                    label = MULT_LABELS[obs[c]]
                else:
                    label = ""
                row += [obs[c], label]
            writer.writerow(row)
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return out.getvalue()


def write_sdmx_csv(path, observations: list[dict], *, layout: str = "labels", flow: str = SHARES_FLOW) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + sdmx_csv_text(observations, layout=layout, flow=flow).encode("utf-8"))
    return path


# ---------------------------------------------------------------------------------------------
# ICIO CSV


def icio_csv_text(countries, industries, z, y, taxes, value_added, *, edition: int = 2023,
                  final_categories=("HFCE", "GFCF")) -> str:
    """An ICIO matrix as the OECD publishes it. ``y[i][c]`` is final demand of country c for row i;
    it is written split over ``final_categories`` (first category takes the value, the others 0, except
    a share moved to the second so that summing them back is tested)."""
    cells = [f"{c}_{i}" for c in countries for i in industries]
    fd_cols = [f"{c}_{k}" for c in countries for k in final_categories]
    out_col, out_row, tax_row, va_row = (("OUT", "OUT", "TLS", "VA") if edition == 2023
                                         else ("TOTAL", "OUTPUT", "TAXSUB", "VALU"))
    first = "V1" if edition == 2023 else ""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([first] + cells + fd_cols + [out_col])
    n = len(cells)
    output = []
    for r in range(n):
        fd = []
        for c in range(len(countries)):
            value = float(y[r][c])
            split = [value * 0.75, value * 0.25] + [0.0] * (len(final_categories) - 2)
            fd += split[:len(final_categories)]
        total = sum(z[r]) + sum(y[r])
        output.append(total)
        writer.writerow([cells[r]] + [_num(v) for v in z[r]] + [_num(v) for v in fd] + [_num(total)])
    # Taxes on final products sit in the TLS row's final-demand columns; the parser must not add them
    # to anything. Cells outside the industry block carry 0, as in the published files.
    final_taxes = [_num(0.5 * (k + 1)) for k in range(len(fd_cols))]
    writer.writerow([tax_row] + [_num(v) for v in taxes] + final_taxes + ["0"])
    writer.writerow([va_row] + [_num(v) for v in value_added] + ["0"] * len(fd_cols) + ["0"])
    writer.writerow([out_row] + [_num(v) for v in output] + ["0"] * len(fd_cols) + ["0"])
    return buf.getvalue()


def _num(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)
