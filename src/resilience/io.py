"""Deterministic, atomic writers for intermediate and result files.

Results must be byte-identical across reruns: rows are sorted by the caller, floats are written
with a fixed repr, and each file appears only once complete (temp file + rename), so a killed job
never leaves a half-written output.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

# pandas only where a function reads a table: the download jobs use this module without it.
if TYPE_CHECKING:
    import pandas as pd

FLOAT_FORMAT = "%.10g"

# Tests name a file here to make its write pause with the temporary file complete, so a run can be
# killed at a known point instead of a lucky one; PAUSE_SECONDS_ENV sets how long (a test that kills the
# run sets it past its own time-out, so the write never resumes before the kill).
PAUSE_ENV = "RESILIENCE_PAUSE_BEFORE_RENAME"
PAUSE_SECONDS_ENV = "RESILIENCE_PAUSE_SECONDS"
PAUSE_SECONDS = 120.0
_TEMP_SUFFIX = re.compile(r"\.[0-9a-f]{32}\.part")


def temp_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.part")


def remove_stale_temps(dest) -> list[Path]:
    """Delete the temporary files an earlier, killed writer of ``dest`` left beside it.

    SIGKILL skips ``finally``, and a rerun writes under a new random name, so without this a killed
    job's temporary file would stay forever. Safe because one job alone writes a given output (the
    workflow holds Snakemake's lock). Returns the removed paths.
    """
    dest = Path(dest)
    prefix = f".{dest.name}"
    stale = [p for p in dest.parent.glob(f"{glob.escape(prefix)}.*.part")
             if _TEMP_SUFFIX.fullmatch(p.name[len(prefix):])]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _pause_if_asked(dest: Path) -> None:
    if os.environ.get(PAUSE_ENV) == dest.name:
        time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV) or PAUSE_SECONDS))


@contextmanager
def atomic_path(dest):
    """Yield a temporary path next to ``dest``; rename it onto ``dest`` only if the block succeeds.

    Same directory, so the rename is atomic (one filesystem); a hidden ``.part`` name, so a glob
    over the directory never takes it for data. On any exception the temporary file is removed and
    ``dest`` keeps whatever it held before; a killed writer's leftovers are removed by the next write.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(dest)
    temp = temp_name(dest)
    try:
        yield temp
        _pause_if_asked(dest)
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)


def write_bytes(data: bytes, dest) -> None:
    """Write bytes atomically, flushed to disk before the rename (a crash leaves old or new, never empty)."""
    with atomic_path(dest) as tmp:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def write_csv(frame: pd.DataFrame, dest) -> None:
    with atomic_path(dest) as tmp:
        frame.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def write_parquet(frame: pd.DataFrame, dest) -> None:
    with atomic_path(dest) as tmp:
        frame.reset_index(drop=True).to_parquet(tmp, index=False)


def write_text(text: str, dest) -> None:
    with atomic_path(dest) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def write_json(obj, dest) -> None:
    write_text(json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n", dest)


def read_csv(path) -> pd.DataFrame:
    import pandas as pd

    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def setup_logging(log_path) -> logging.Logger:
    """Send this job's log records to its Snakemake log file."""
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=log_path, filemode="w", level=logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s", force=True)
    logging.captureWarnings(True)
    return logging.getLogger("resilience")
