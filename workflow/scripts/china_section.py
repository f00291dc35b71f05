"""Rule china_section: the report section on the Chinese provinces, from its results files only."""
import json

from resilience.io import read_csv, setup_logging, write_text
from resilience.regions.china_report import china_section

setup_logging(snakemake.log[0])
inp = snakemake.input
tables = {name: read_csv(getattr(inp, name)) for name in
          ("provenance", "coverage", "footnotes", "martin", "alignment", "weights", "models")}
with open(inp.notes, encoding="utf-8") as handle:
    notes = json.load(handle)
write_text(china_section(tables, notes, snakemake.params.china), snakemake.output[0])
