"""A running local stack tells what each of its threads is doing (SIGUSR1): the end-to-end tests attach it to a
failure, so a stalled stream poller or request shows where it waits instead of only "timed out"."""

from tests.e2e.conftest import RUNNING, LocalStack, thread_dump


def test_the_stack_dumps_its_threads_on_sigusr1(stack: LocalStack) -> None:
    process = next(process for process, log in RUNNING if log == stack.log)

    dump = thread_dump(process, stack.log)

    assert "most recent call first" in dump
    assert "helpdesk/local/streams.py" in dump  # the stream pollers, waiting for their next poll
    assert process.poll() is None  # and it keeps running
