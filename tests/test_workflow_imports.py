"""The modules the Snakefile and workflow/rules/*.smk import at parse time stay light: every Snakemake
start (a no-op rerun included) pays for them, and scipy.stats alone costs about 1.5 s here."""
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "statsmodels", "linearmodels", "pyhdfe", "matplotlib", "openpyxl", "requests")


def workflow_imports() -> list[str]:
    files = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    pattern = re.compile(r"^(?:from (resilience[\w.]*) import|import (resilience[\w.]*))", re.MULTILINE)
    found = {a or b for f in files for a, b in pattern.findall(f.read_text(encoding="utf-8"))}
    return sorted(found)


def test_the_workflow_imports_some_package_modules():
    assert "resilience.panels" in workflow_imports() and "resilience.config" in workflow_imports()


def test_parse_time_imports_load_no_estimator_plotting_or_network_library():
    code = ("import sys\n"
            + "".join(f"import {m}\n" for m in workflow_imports())
            # the rules read the panel registry at parse time, which imports every panel's module
            + "resilience.panels.registry()\n"
            + f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=REPO, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"heavy modules loaded at parse time: {out.stdout.strip()}"
