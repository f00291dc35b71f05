"""The scheduler's re-evaluation timers: at most one pending, a daemon, the earliest wake-up kept."""

from __future__ import annotations

import inspect
import threading

import pytest

from resilience import scheduler_timers
from resilience.scheduler_timers import METHOD, keep_one_pending, schedule_one_reevaluation


class FakeScheduler:
    def __init__(self):
        self._open_jobs = threading.Semaphore(0)


@pytest.fixture
def timers(monkeypatch):
    """Every Timer the module starts, started for real."""
    started = []

    class RecordingTimer(threading.Timer):
        def start(self):
            started.append(self)
            super().start()

    monkeypatch.setattr(scheduler_timers.threading, "Timer", RecordingTimer)
    return started


def test_many_requests_leave_one_daemon_timer_and_one_wake_up(timers):
    scheduler = FakeScheduler()
    for _ in range(50):
        schedule_one_reevaluation(scheduler, 0.05)
    assert len(timers) == 1 and timers[0].daemon
    assert scheduler._open_jobs.acquire(timeout=30)
    timers[0].join(timeout=30)
    assert not scheduler._open_jobs.acquire(blocking=False)  # released once, not fifty times
    assert scheduler._reevaluation_due is None


def test_after_a_wake_up_the_next_round_can_schedule_again(timers):
    scheduler = FakeScheduler()
    schedule_one_reevaluation(scheduler, 0.01)
    assert scheduler._open_jobs.acquire(timeout=30)
    timers[0].join(timeout=30)
    schedule_one_reevaluation(scheduler, 0.01)
    assert len(timers) == 2
    assert scheduler._open_jobs.acquire(timeout=30)


def test_an_earlier_wake_up_is_not_held_back_by_a_later_pending_one(timers):
    scheduler = FakeScheduler()
    schedule_one_reevaluation(scheduler, 3600)  # e.g. a long queue-input wait
    schedule_one_reevaluation(scheduler, 0.01)  # the rate limiter's next look
    assert len(timers) == 2
    assert scheduler._open_jobs.acquire(timeout=30)  # long before the first timer
    timers[0].cancel()


def test_installs_on_a_class_with_the_method_and_leaves_others_alone():
    class WithMethod:
        def _schedule_reevalutation(self, delay):
            raise AssertionError("replaced")

    class Without:
        pass

    assert keep_one_pending(WithMethod) is True
    assert getattr(WithMethod, METHOD) is schedule_one_reevaluation
    assert keep_one_pending(Without) is False
    assert not hasattr(Without, METHOD)


def test_the_installed_snakemake_schedules_its_rounds_through_the_replaced_method():
    from snakemake.scheduling.job_scheduler import JobScheduler

    # What the replacement relies on: the round ends by calling the method with the rate limiter's
    # timespan, and wake-ups release the _open_jobs semaphore the loop acquires.
    source = inspect.getsource(JobScheduler.schedule)
    assert f"self.{METHOD}(self.job_rate_limiter.timespan)" in source
    assert "self._open_jobs.acquire()" in source
    assert "self._open_jobs.release()" in inspect.getsource(JobScheduler._proceed)
    assert keep_one_pending() is True
    assert getattr(JobScheduler, METHOD) is schedule_one_reevaluation
