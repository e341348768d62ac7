"""`helpdesk smoke`: after `sam deploy` (or against `helpdesk serve`), walk through what a team does on day
one and clean up after itself, printing each step.

Sign in a test admin -> create a ticket and read it back -> publish an article -> find it with a search ->
ask the chat a question about it -> clean up (end the chat, archive the article, close the tickets, delete
the test admin). Everything happens in its own tenant (`--tenant`, default `smoke`), so no team's data is
touched. Tickets are never deleted (their history is the audit log): cleaning up closes them.
"""

import functools
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

Echo = Callable[[str], None]
CHAT_ATTEMPTS = 3


class StepFailed(RuntimeError):
    pass


@dataclass
class SmokeRun:
    """The state one run builds up: what to clean up, and what each step printed."""

    http: httpx.Client
    echo: Echo
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    ok: bool = True
    ticket_ids: list[str] = field(default_factory=list)
    article_id: str | None = None
    chat: tuple[str, str] | None = None  # (session id, session token)
    _step: int = 0

    @contextmanager
    def step(self, title: str) -> Iterator[list[str]]:
        """Run one step: prints `[ok]` or `[FAIL]`, its time and what the step noted."""
        self._step += 1
        notes: list[str] = []
        started = time.monotonic()
        try:
            yield notes
        except (StepFailed, httpx.HTTPError, RuntimeError, KeyError, ValueError) as exc:
            self.ok = False
            self.echo(f"[FAIL] {self._step}. {title} ({time.monotonic() - started:.1f} s): {exc}")
            raise StepFailed(str(exc)) from exc
        self.echo(f"[ok]   {self._step}. {title} ({time.monotonic() - started:.1f} s)"
                  + "".join(f"\n         {n}" for n in notes))

    def call(self, method: str, path: str, expect: int, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = self.http.request(method, path, headers=headers, **kwargs)
        if response.status_code != expect:
            raise StepFailed(f"{method} {path} answered {response.status_code} (expected {expect}): "
                             f"{response.text[:300]}")
        return response.json() if response.content else None


def run_smoke(http: httpx.Client, sign_in: Callable[[], tuple[str, str]], sign_out: Callable[[], str | None],
              echo: Echo, search_wait_s: float = 15.0) -> bool:
    """Every step in order; cleanup runs whatever failed. `sign_in` returns (token, who), `sign_out` says what
    it removed (or None). True when every step passed."""
    run = SmokeRun(http=http, echo=echo)
    echo(f"helpdesk smoke against {http.base_url} (run {run.run_id})")
    try:
        with run.step("API reachable (GET /health)"):
            run.call("GET", "/health", 200)
        with run.step("sign in a test admin") as notes:
            token, who = sign_in()
            notes.append(who)
        _tickets(run, token)
        _knowledge(run, token, search_wait_s)
        _chat(run, token)
    except StepFailed:
        echo("         (the remaining steps are skipped; cleaning up)")
    finally:
        _clean_up(run, locals().get("token"), sign_out)
    echo("smoke: all steps passed" if run.ok else "smoke: FAILED")
    return run.ok


def _tickets(run: SmokeRun, token: str) -> None:
    subject = f"Smoke test {run.run_id}"
    with run.step("create a ticket") as notes:
        ticket = run.call("POST", "/tickets", 201, token, json={
            "subject": subject, "description": "Created by `helpdesk smoke`; closed again when it finishes."})
        run.ticket_ids.append(ticket["id"])
        notes.append(f"{ticket['number']} ({ticket['id']})")
    with run.step("read the ticket back"):
        again = run.call("GET", f"/tickets/{ticket['id']}", 200, token)
        if again["subject"] != subject:
            raise StepFailed(f"read back {again['subject']!r}, wrote {subject!r}")


def _knowledge(run: SmokeRun, token: str, search_wait_s: float) -> None:
    phrase = f"smokecheck{run.run_id}"
    with run.step("publish a knowledge base article") as notes:
        article = run.call("POST", "/kb/articles", 201, token, json={
            "title": f"How to calibrate the {phrase} flux capacitor", "status": "published",
            "body": f"To calibrate the {phrase} flux capacitor, open Settings, then Devices, and choose "
                    "Calibrate. Calibration takes about two minutes."})
        run.article_id = article["id"]
        notes.append(article["id"])
    with run.step("search the knowledge base") as notes:
        deadline = time.monotonic() + search_wait_s  # an OpenSearch index shows new documents within ~1 s
        while True:
            hits = run.call("GET", "/kb/search", 200, token, params={"q": f"calibrate {phrase} flux capacitor"})
            ids = [h.get("article_id") for h in hits.get("hits", [])]
            if run.article_id in ids:
                notes.append(f"found at rank {ids.index(run.article_id) + 1} of {len(ids)}")
                break
            if time.monotonic() > deadline:
                raise StepFailed(f"the article is not among {len(ids)} hits after {search_wait_s:.0f} s")
            time.sleep(1)


def _chat(run: SmokeRun, token: str) -> None:
    phrase = f"smokecheck{run.run_id}"
    with run.step("start a chat") as notes:
        session = run.call("POST", "/chat/customer-sessions", 201, token)
        run.chat = (session["id"], session["token"])
        notes.append(session["id"])
    with run.step("ask the chat (an answer that cites the article)") as notes:
        question = f"How do I calibrate the {phrase} flux capacitor?"
        for attempt in range(1, CHAT_ATTEMPTS + 1):  # the first turn may pay cold starts (a model, a function)
            reply = run.call("POST", f"/chat/sessions/{run.chat[0]}/messages", 200, run.chat[1],
                             json={"text": question})
            if reply.get("ticket") and reply["ticket"].get("id") and reply["ticket"]["id"] not in run.ticket_ids:
                run.ticket_ids.append(reply["ticket"]["id"])
            answer = " ".join(str(reply.get("reply") or reply.get("notice") or "").split())
            cited = [c.get("article_id") for c in reply.get("citations") or []]
            if run.article_id in cited:
                break
            notes.append(f"attempt {attempt}: no citation of the article: {answer[:100]}")
        else:
            raise StepFailed(f"after {CHAT_ATTEMPTS} questions the chat never cited the article; last answer: "
                             f"{answer[:200]}")
        notes.append(f"intent {reply.get('intent')}, cites {run.article_id}"
                     + (", degraded (model unavailable)" if reply.get("degraded") else ""))
        notes.append(f"answer: {answer[:100]}{'...' if len(answer) > 100 else ''}")


def _clean_up(run: SmokeRun, token: str | None, sign_out: Callable[[], str | None]) -> None:
    undo: list[tuple[str, Callable[[], Any]]] = []
    if run.chat:
        session_id, session_token = run.chat
        undo.append((f"end the chat {session_id}",
                     lambda: run.call("DELETE", f"/chat/sessions/{session_id}", 200, session_token)))
    if run.article_id and token:
        article_id = run.article_id
        undo.append((f"archive the article {article_id}",
                     lambda: run.call("POST", f"/kb/articles/{article_id}/archive", 200, token)))
    for ticket_id in run.ticket_ids if token else []:
        undo.append((f"close the ticket {ticket_id}", functools.partial(
            run.call, "PATCH", f"/tickets/{ticket_id}", 200, token, json={"status": "closed"})))
    undo.append(("delete the test admin", sign_out))
    for title, action in undo:
        try:
            with run.step(f"clean up: {title}") as notes:
                removed = action()
                if isinstance(removed, str):
                    notes.append(removed)
        except StepFailed:
            continue  # printed; the next cleanup still runs
