"""The circuit breaker: trips after repeated failures, falls back while open, tries once when half-open."""

import pytest

from helpdesk.assistant.circuit_breaker import BreakerState, CircuitBreaker


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
