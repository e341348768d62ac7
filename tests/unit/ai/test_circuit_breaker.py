"""The circuit breaker: trips after repeated failures, falls back while open, tries once when half-open; time
limits per call; state shared by containers through a store (the in-memory fake here, DynamoDB in
tests/integration/chat/test_breaker_store.py)."""

import threading
from collections.abc import Iterator

import pytest

from helpdesk.assistant.circuit_breaker import (
    BreakerState,
    CallTimedOut,
    CircuitBreaker,
    Unavailable,
    call_with_timeout,
)
from tests.fakes import InMemoryBreakerStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Boom(Exception):
    pass


def failing() -> str:
    raise Boom


def call(breaker: CircuitBreaker, primary: object = failing) -> tuple[str, bool]:
    return breaker.call(primary, lambda: "fallback", is_failure=lambda e: isinstance(e, Boom))  # type: ignore[arg-type]


def state(breaker: CircuitBreaker) -> BreakerState:
    """Read the state afresh: mypy would keep `breaker.state` narrowed to an asserted value across calls."""
    return breaker.state


def test_opens_after_threshold_and_skips_the_primary_while_open() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, reset_after_s=30, monotonic=clock)
    primary_calls = []

    def counted() -> str:
        primary_calls.append(1)
        raise Boom

    assert call(breaker, counted) == ("fallback", True)
    assert state(breaker) == BreakerState.CLOSED
    assert call(breaker, counted) == ("fallback", True)
    assert state(breaker) == BreakerState.OPEN
    assert call(breaker, counted) == ("fallback", True)
    assert len(primary_calls) == 2  # the third call never reached the primary


def test_half_open_trial_success_closes_and_failure_reopens() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after_s=30, monotonic=clock)
    call(breaker)
    clock.now += 31
    assert state(breaker) == BreakerState.HALF_OPEN
    assert call(breaker) == ("fallback", True)  # the trial failed
    assert state(breaker) == BreakerState.OPEN
    clock.now += 31
    assert call(breaker, lambda: "model") == ("model", False)
    assert state(breaker) == BreakerState.CLOSED


def test_only_one_trial_at_a_time_when_half_open() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after_s=5, monotonic=clock)
    call(breaker)
    clock.now += 6
    assert breaker.allow() is True
    assert breaker.allow() is False


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, monotonic=Clock())
    call(breaker)
    call(breaker, lambda: "ok")
    call(breaker)
    assert state(breaker) == BreakerState.CLOSED


def test_errors_that_are_not_model_failures_propagate_without_tripping() -> None:
    breaker = CircuitBreaker(failure_threshold=1, monotonic=Clock())

    def bug() -> str:
        raise KeyError("our bug")

    with pytest.raises(KeyError):
        call(breaker, bug)
    assert state(breaker) == BreakerState.CLOSED


# -- time limits --------------------------------------------------------------------------------------


class Hang:
    """A dependency that does not answer until released (every test releases it, so no thread outlives it)."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        self.released.wait(10)
        return "late"


@pytest.fixture
def hang() -> Iterator[Hang]:
    h = Hang()
    yield h
    h.released.set()


def test_a_call_that_overstays_its_limit_is_abandoned_and_counts_as_a_failure(hang: Hang) -> None:
    breaker = CircuitBreaker(failure_threshold=2, monotonic=Clock())
    with pytest.raises(Unavailable) as first:
        breaker.run(hang, timeout_s=0.05)
    assert first.value.reason == "timeout"
    assert state(breaker) == BreakerState.CLOSED
    assert breaker.call(hang, lambda: "fallback", is_failure=lambda e: True, timeout_s=0.05) == ("fallback", True)
    assert state(breaker) == BreakerState.OPEN
    with pytest.raises(Unavailable) as skipped:
        breaker.run(hang, timeout_s=0.05)
    assert skipped.value.reason == "open"
    assert hang.calls == 2  # open: not even started


def test_a_timed_call_returns_its_result_and_raises_its_errors() -> None:
    breaker = CircuitBreaker(failure_threshold=1, monotonic=Clock())
    assert breaker.run(lambda: "fast", timeout_s=5) == "fast"
    with pytest.raises(KeyError):  # not a dependency failure: raised as it is, the breaker untouched
        breaker.run(lambda: dict[str, str]()["missing"], timeout_s=5, is_failure=lambda e: isinstance(e, Boom))
    assert state(breaker) == BreakerState.CLOSED
    with pytest.raises(Unavailable) as failed:
        breaker.run(failing, timeout_s=5)
    assert failed.value.reason == "Boom"
    assert state(breaker) == BreakerState.OPEN


def test_no_time_left_means_no_call() -> None:
    called: list[int] = []
    with pytest.raises(CallTimedOut):
        call_with_timeout(lambda: called.append(1), 0)
    assert called == []


# -- state shared by containers ----------------------------------------------------------------------


class Wall:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def fleet(store: InMemoryBreakerStore, n: int = 2, threshold: int = 3) -> tuple[list[CircuitBreaker], Clock, Wall]:
    """`n` containers' breakers on one dependency, sharing `store`; one clock for all (monotonic and wall)."""
    mono, wall = Clock(), Wall()
    breakers = [CircuitBreaker(failure_threshold=threshold, reset_after_s=30, monotonic=mono, name="llm:test",
                               store=store, wall=wall, refresh_s=0, trial_s=5) for _ in range(n)]
    return breakers, mono, wall


def advance(mono: Clock, wall: Wall, seconds: float) -> None:
    mono.now += seconds
    wall.now += seconds


def test_failures_are_counted_for_the_fleet_and_an_open_breaker_is_open_everywhere() -> None:
    store = InMemoryBreakerStore()
    (a, b, c), _, _ = fleet(store, 3)
    call(a)
    call(b)
    assert (state(a), state(b)) == (BreakerState.CLOSED, BreakerState.CLOSED)  # 2 of 3, in two containers
    called: list[int] = []

    def counted() -> str:
        called.append(1)
        raise Boom

    call(c, counted)  # the fleet's third failure: c trips and opens it for all
    assert state(c) == BreakerState.OPEN
    assert "llm:test" in store.open_until
    assert call(a, counted) == ("fallback", True)  # a has seen one failure itself, yet skips the dependency
    assert call(b, counted) == ("fallback", True)
    assert called == [1]


def test_one_trial_for_the_whole_fleet_and_its_success_closes_the_breaker_for_all() -> None:
    store = InMemoryBreakerStore()
    (a, b), mono, wall = fleet(store, 2, threshold=1)
    call(a)
    assert call(b, lambda: "model") == ("fallback", True)  # b adopted a's open state
    advance(mono, wall, 31)
    trial_started = threading.Event()
    finish = threading.Event()

    def slow_success() -> str:
        trial_started.set()
        finish.wait(10)
        return "model"

    results: list[tuple[str, bool]] = []
    trial = threading.Thread(target=lambda: results.append(call(a, slow_success)))
    trial.start()
    assert trial_started.wait(10)
    assert call(b, lambda: "model") == ("fallback", True)  # a holds the fleet's only trial
    finish.set()
    trial.join(10)
    assert results == [("model", False)]
    assert store.open_until == {}  # closed for everyone
    advance(mono, wall, 6)  # past b's wait for a's verdict
    assert call(b, lambda: "model") == ("model", False)


def test_an_open_breaker_never_asks_the_store() -> None:
    store = InMemoryBreakerStore()
    (a,), _, _ = fleet(store, 1, threshold=1)
    call(a)
    before = store.calls
    for _ in range(5):
        call(a)
    assert store.calls == before


def test_a_store_outage_leaves_each_container_its_own_breaker() -> None:
    store = InMemoryBreakerStore()
    store.down = True
    (a, b), _, _ = fleet(store, 2, threshold=2)
    call(a)
    assert call(a, lambda: "model") == ("model", False)  # store errors never fail the call
    call(a)
    call(a)
    assert state(a) == BreakerState.OPEN
    assert state(b) == BreakerState.CLOSED  # nothing could be shared
