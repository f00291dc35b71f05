"""Rule complex_risk_section: the report's complex-risk section, from the results files only."""
import json
from pathlib import Path

from resilience.context.risk.section import complex_risk_section
from resilience.io import read_csv, setup_logging, write_text

setup_logging(snakemake.log[0])
inp = snakemake.input
text = complex_risk_section(read_csv(inp.sources), read_csv(inp.periods), read_csv(inp.peaks), read_csv(inp.coefs),
                            Path(inp.model_md).read_text(encoding="utf-8"),
                            json.loads(Path(inp.notes).read_text(encoding="utf-8")), snakemake.params.settings)
write_text(text, snakemake.output[0])
