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


class HeldTimer:
    """A Timer that never runs by itself: the test fires it (``fire``), so nothing depends on timing."""

    def __init__(self, delay, function):
        self.delay, self.function, self.daemon, self.started = delay, function, False, False

    def start(self):
        self.started = True

    def fire(self):
        self.function()


@pytest.fixture
def timers(monkeypatch):
    """Every timer the module starts, held until the test fires it."""
    made = []

    def timer(delay, function):
        made.append(HeldTimer(delay, function))
        return made[-1]

    monkeypatch.setattr(scheduler_timers.threading, "Timer", timer)
    return made


def test_many_requests_leave_one_daemon_timer_and_one_wake_up(timers):
    scheduler = FakeScheduler()
    for _ in range(50):
        schedule_one_reevaluation(scheduler, 1.0)
    assert len(timers) == 1 and timers[0].daemon and timers[0].started and timers[0].delay == 1.0
    timers[0].fire()
    assert scheduler._open_jobs.acquire(blocking=False)
    assert not scheduler._open_jobs.acquire(blocking=False)  # released once, not fifty times
    assert scheduler._reevaluation_due is None


def test_after_a_wake_up_the_next_round_can_schedule_again(timers):
    scheduler = FakeScheduler()
    schedule_one_reevaluation(scheduler, 1.0)
    timers[0].fire()
    schedule_one_reevaluation(scheduler, 1.0)
    assert len(timers) == 2 and timers[1].started


def test_an_earlier_wake_up_is_not_held_back_by_a_later_pending_one(timers):
    scheduler = FakeScheduler()
    schedule_one_reevaluation(scheduler, 3600)  # e.g. a long queue-input wait
    schedule_one_reevaluation(scheduler, 1.0)  # the rate limiter's next look
    assert [t.delay for t in timers] == [3600, 1.0]
    timers[1].fire()
    assert scheduler._open_jobs.acquire(blocking=False)
    # the long one still wakes the loop when it comes (a spare round, never a lost one)
    timers[0].fire()
    assert scheduler._open_jobs.acquire(blocking=False)


def test_a_timer_that_cannot_start_does_not_block_later_ones(monkeypatch):
    scheduler, made = FakeScheduler(), []

    class Refusing(HeldTimer):
        def start(self):
            raise RuntimeError("can't start new thread")

    monkeypatch.setattr(scheduler_timers.threading, "Timer", lambda d, f: made.append(Refusing(d, f)) or made[-1])
    with pytest.raises(RuntimeError):
        schedule_one_reevaluation(scheduler, 1.0)
    monkeypatch.setattr(scheduler_timers.threading, "Timer", lambda d, f: made.append(HeldTimer(d, f)) or made[-1])
    schedule_one_reevaluation(scheduler, 1.0)
    assert len(made) == 2 and made[1].started


def test_a_real_timer_wakes_the_scheduler():
    scheduler = FakeScheduler()
    schedule_one_reevaluation(scheduler, 0.01)
    assert scheduler._open_jobs.acquire(timeout=60)


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


def test_the_installed_snakemake_schedules_its_rounds_through_the_replaced_method(monkeypatch):
    from snakemake.scheduling.job_scheduler import JobScheduler

    # What the replacement relies on: the round ends by calling the method with the rate limiter's
    # timespan, and wake-ups release the _open_jobs semaphore the loop acquires.
    source = inspect.getsource(JobScheduler.schedule)
    assert f"self.{METHOD}(self.job_rate_limiter.timespan)" in source
    assert "self._open_jobs.acquire()" in source
    assert "self._open_jobs.release()" in inspect.getsource(JobScheduler._proceed)
    monkeypatch.setattr(JobScheduler, METHOD, getattr(JobScheduler, METHOD))  # restored after the test
    assert keep_one_pending() is True
    assert getattr(JobScheduler, METHOD) is schedule_one_reevaluation
