"""At most one pending re-evaluation timer in Snakemake's job scheduler.

Snakemake 9 ends every scheduling round by starting a ``threading.Timer(timespan)`` whenever a job rate
limit is set, and one always is (``--max-jobs-per-timespan`` defaults to 100/1s). Each timer's release
starts another round, which starts another timer, so every finished job adds a chain of rounds that
never stops: near the end of a run of 200 jobs the scheduler runs hundreds of rounds a second, each
one stat-ing the inputs of every ready job. On the synthetic test mirror that is about 22 of the 31
CPU-seconds of Snakemake's own process. The timers are not daemon threads either, so a run waits up to
one timespan after its last job before it exits.

``keep_one_pending`` replaces that method with one that keeps a single pending timer (a daemon): the
scheduler still looks again within one timespan of its last round, which is all the rate limiter
needs, and a finished job still wakes it at once (Snakemake releases the same semaphore then).
"""

from __future__ import annotations

import threading
import time

_GUARD = threading.Lock()
METHOD = "_schedule_reevalutation"  # sic: Snakemake's spelling


def schedule_one_reevaluation(scheduler, delay: float) -> None:
    """Wake ``scheduler`` (its ``_open_jobs`` semaphore) after ``delay`` seconds, unless a wake-up
    is already due no later than that."""
    due = time.monotonic() + delay
    with _GUARD:
        pending = getattr(scheduler, "_reevaluation_due", None)
        if pending is not None and pending <= due:
            return
        scheduler._reevaluation_due = due

    def wake() -> None:
        with _GUARD:
            if getattr(scheduler, "_reevaluation_due", None) == due:
                scheduler._reevaluation_due = None
        scheduler._open_jobs.release()

    timer = threading.Timer(delay, wake)
    timer.daemon = True
    try:
        timer.start()
    except BaseException:
        # no timer pending after all: a later request must be able to start one
        with _GUARD:
            if getattr(scheduler, "_reevaluation_due", None) == due:
                scheduler._reevaluation_due = None
        raise


def keep_one_pending(scheduler_class=None) -> bool:
    """Install ``schedule_one_reevaluation`` on Snakemake's JobScheduler (or ``scheduler_class``).
    Returns whether the method to replace was there (a later Snakemake may have renamed it)."""
    if scheduler_class is None:
        from snakemake.scheduling.job_scheduler import JobScheduler as scheduler_class
    if not callable(getattr(scheduler_class, METHOD, None)):
        return False
    setattr(scheduler_class, METHOD, schedule_one_reevaluation)
    return True
