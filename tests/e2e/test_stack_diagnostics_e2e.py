"""A running local stack tells what each of its threads is doing (SIGUSR1): the end-to-end tests attach it to a
failure, so a stalled stream poller or request shows where it waits instead of only "timed out"."""

import contextlib
import signal
import threading
import time
import urllib.error
import urllib.request

from tests.e2e.conftest import RUNNING, LocalStack, thread_dump


def test_the_stack_dumps_its_threads_on_sigusr1(stack: LocalStack) -> None:
    process = next(process for process, log in RUNNING if log == stack.log)

    dump = thread_dump(process, stack.log)

    assert "most recent call first" in dump
    assert "helpdesk/local/streams.py" in dump  # the stream pollers, waiting for their next poll
    assert process.poll() is None  # and it keeps running


def test_the_stack_survives_dumps_while_it_serves_requests(stack: LocalStack) -> None:
    # faulthandler's C dump read the thread list while request threads came and went and killed the stack
    # with SIGSEGV (in a CI run, and by hand after 49 dumps beside four clients).
    process = next(process for process, log in RUNNING if log == stack.log)
    serving = threading.Event()
    serving.set()

    def client() -> None:
        while serving.is_set():
            # 401 without a token: the request is still served on a thread of its own
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"{stack.url}/tickets", timeout=10).read()

    clients = [threading.Thread(target=client) for _ in range(3)]
    for thread in clients:
        thread.start()
    try:
        for _ in range(60):
            process.send_signal(signal.SIGUSR1)
            time.sleep(0.05)
            assert process.poll() is None
    finally:
        serving.clear()
        for thread in clients:
            thread.join()
