"""Count the AWS requests code makes (tests pin them, benches report them), with a botocore event hook.

`install()` adds one `before-call` handler to botocore's built-in handlers, so every botocore session
created afterwards (boto3's and each PynamoDB connection's) reports its calls; it costs one list check
per request while nothing counts. Call it before the first AWS client is created (tests: at import of
the test module; benches: at start-up), then:

    with count_calls() as calls:
        invoke(...)
    calls.of("dynamodb")  ->  Counter({"TransactWriteItems": 1, "UpdateItem": 1})

`count_calls(consumed_capacity=True)` also asks DynamoDB for the capacity each call consumed
(`ReturnConsumedCapacity=TOTAL` on every operation that takes it) and sums read and write units: the
cost model's input.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_lock = threading.Lock()
_active: list["CallCounts"] = []
_installed = False

# DynamoDB operations that accept ReturnConsumedCapacity (all data-plane reads and writes).
_CAPACITY_OPERATIONS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
                        "BatchWriteItem", "TransactGetItems", "TransactWriteItems"}


@dataclass
class CallCounts:
    consumed_capacity: bool = False
    calls: Counter[tuple[str, str]] = field(default_factory=Counter)  # (service, operation) -> requests
    read_units: float = 0.0
    write_units: float = 0.0

    def of(self, service: str) -> Counter[str]:
        return Counter({op: n for (svc, op), n in self.calls.items() if svc == service})

    def total(self, service: str) -> int:
        return sum(self.of(service).values())


def _service(model: Any) -> str:
    return str(model.service_model.endpoint_prefix)


def _before_call(model: Any, params: Any, **_: Any) -> None:
    if not _active:
        return
    key = (_service(model), str(model.name))
    with _lock:
        for counts in _active:
            counts.calls[key] += 1


def _add_capacity(params: Any, model: Any, **_: Any) -> None:
    if not _active or _service(model) != "dynamodb" or model.name not in _CAPACITY_OPERATIONS:
        return
    if any(c.consumed_capacity for c in _active) and isinstance(params, dict):
        params.setdefault("ReturnConsumedCapacity", "TOTAL")


def _after_call(parsed: Any, model: Any, **_: Any) -> None:
    if not _active or _service(model) != "dynamodb" or not isinstance(parsed, dict):
        return
    consumed = parsed.get("ConsumedCapacity")
    entries = consumed if isinstance(consumed, list) else [consumed] if consumed else []
    reads = sum(float(e.get("ReadCapacityUnits", 0) or 0) for e in entries)
    writes = sum(float(e.get("WriteCapacityUnits", 0) or 0) for e in entries)
    if not (reads or writes):
        # moto reports only CapacityUnits for some operations: attribute them by the operation's kind
        units = sum(float(e.get("CapacityUnits", 0) or 0) for e in entries)
        if model.name in ("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"):
            reads = units
        else:
            writes = units
    with _lock:
        for counts in _active:
            if counts.consumed_capacity:
                counts.read_units += reads
                counts.write_units += writes


def install() -> None:
    """Register the hooks for every botocore session created from now on (idempotent)."""
    global _installed
    if _installed:
        return
    from botocore.handlers import BUILTIN_HANDLERS

    BUILTIN_HANDLERS.append(("before-call", _before_call))
    BUILTIN_HANDLERS.append(("provide-client-params.dynamodb", _add_capacity))
    BUILTIN_HANDLERS.append(("after-call.dynamodb", _after_call))
    _installed = True


@contextmanager
def count_calls(*, consumed_capacity: bool = False) -> Iterator[CallCounts]:
    """Count the AWS requests of every thread while the block runs."""
    if not _installed:
        raise RuntimeError("call aws_calls.install() before the first AWS client is created")
    counts = CallCounts(consumed_capacity=consumed_capacity)
    with _lock:
        _active.append(counts)
    try:
        yield counts
    finally:
        with _lock:
            _active.remove(counts)
