"""Chat turn latency with one dependency hanging: retrieval (OpenSearch) or the model (Claude), beside a healthy
run, in one process. The goal: every turn under 8 s at p99 with either down.

    python bench/chat_outage.py [--turns 60] [--containers 4] [--hang-s 60]

What runs: `ChatService.post` (chat intake's use case: session, rate limit, transcript, the assistant in
process) on moto, in `--containers` containers built by the composition root and served round-robin, so the
breaker state they share through the Meta table (`DynamoBreakerStore`) is part of the figure. The clients are
the real ones: opensearch-py (`OpenSearchIndex.connect`, its (1 s, 3 s) timeouts) and the `anthropic` SDK
(the chat client's limits), each pointed at a local stand-in HTTP server:
- the OpenSearch stand-in answers `_msearch` from an in-memory embedded index of the seed help centre
  (infra/seed/knowledge), or, hanging, accepts the request and sleeps `--hang-s` seconds;
- the Anthropic stand-in answers the Messages API with a forced tool call after a model-like delay
  (classification 0.4 s, answer 1.2 s), or, hanging, sleeps `--hang-s` seconds.
The embedder is the local MiniLM (onnx), shared by the containers. A turn as seen by a visitor also includes
the Lambda invoke of intent_rag (chat intake gives up after 7.5 s and answers with the degraded reply).
"""

import argparse
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._common import use_moto_env  # noqa: E402

use_moto_env()
os.environ.update(HELPDESK_AI_PROVIDER="offline", HELPDESK_CHAT_TOKEN_SECRET="bench-only-secret-0123456789abcdef",
                  HELPDESK_CHAT_RATE_PER_MINUTE="100000", HELPDESK_KB_INDEX="opensearch")

from bench._common import percentile  # noqa: E402

QUESTIONS = ["How do I reset my password?", "I never got the password reset email", "How can I export my data?",
             "How do I get a refund?", "How do I cancel my subscription?", "Where can I download my invoices?",
             "How do I turn on two-factor authentication?", "I can't log in with SSO",
             "How do I create an API key?", "How do I delete my account?", "Which integrations do you support?"]
CLASSIFY_S, ANSWER_S = 0.4, 1.2
MODES = {"opensearch": "ok", "anthropic": "ok"}
RELEASE = threading.Event()  # set at the end: hung handlers return and the servers stop cleanly


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _reply(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def opensearch_handler(index: Any) -> type[BaseHTTPRequestHandler]:
    from helpdesk.knowledge.ports import IndexQuery

    class Handler(_Quiet):
        def do_POST(self) -> None:
            lines = [json.loads(line) for line in self._body().splitlines() if line.strip()]
            if MODES["opensearch"] == "hang":
                RELEASE.wait(HANG_S)
                return
            responses = []
            for body in lines[1::2]:
                bool_query = body["query"].get("bool")
                knn = body["query"].get("knn")
                filters = bool_query["filter"] if bool_query else knn["embedding"]["filter"]["bool"]["filter"]
                tenant = next(f["term"]["tenant_id"] for f in filters if "tenant_id" in f.get("term", {}))
                visibilities = next(f["terms"]["visibility"] for f in filters if "visibility" in f.get("terms", {}))
                if bool_query:
                    query = IndexQuery(tenant_id=tenant, text=bool_query["must"][0]["match"]["search_text"]["query"],
                                       vector=None, k=body["size"], visibilities=tuple(visibilities), mode="lexical")
                else:
                    import numpy as np

                    query = IndexQuery(tenant_id=tenant, text="", k=body["size"], visibilities=tuple(visibilities),
                                       vector=np.asarray(knn["embedding"]["vector"], dtype=np.float32), mode="dense")
                hits = [{"_id": h.chunk_id, "_score": 1.0 + (h.similarity or 0.0) if knn else h.score,
                         "_source": {"article_id": h.article_id, "chunk_id": h.chunk_id, "title": h.title,
                                     "heading": h.heading, "anchor": h.anchor, "text": h.text, "url": h.url,
                                     "visibility": h.visibility, "language": h.language}}
                        for h in index.search(query)]
                responses.append({"hits": {"hits": hits}, "status": 200})
            self._reply({"took": 1, "responses": responses})

        def do_HEAD(self) -> None:
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

    return Handler


class AnthropicHandler(_Quiet):
    def do_POST(self) -> None:
        request = json.loads(self._body())
        if MODES["anthropic"] == "hang":
            RELEASE.wait(HANG_S)
            return
        tool = request["tool_choice"]["name"]
        if tool == "record_intent":
            time.sleep(CLASSIFY_S)
            tool_input: dict[str, Any] = {"intent": "question", "confidence": 0.9}
        else:
            time.sleep(ANSWER_S)
            cited = re.findall(r'article_id="([^"]+)"', request["messages"][0]["content"])[:1]
            tool_input = {"answer": "See the cited article.", "answerable": bool(cited), "cited_article_ids": cited}
        self._reply({"id": "msg_bench", "type": "message", "role": "assistant", "model": request["model"],
                     "content": [{"type": "tool_use", "id": "toolu_bench", "name": tool, "input": tool_input}],
                     "stop_reason": "tool_use", "stop_sequence": None,
                     "usage": {"input_tokens": 900, "output_tokens": 40}})


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


HANG_S = 60.0
SCENARIOS = (("healthy", None), ("retrieval_hanging", "opensearch"), ("llm_hanging", "anthropic"))


def main() -> None:
    global HANG_S
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--containers", type=int, default=4)
    parser.add_argument("--hang-s", type=float, default=60.0)
    parser.add_argument("--verbose", action="store_true", help="print every turn's time and fallback reasons")
    args = parser.parse_args()
    HANG_S = args.hang_s

    import anthropic
    import boto3
    from moto import mock_aws

    with mock_aws():
        from helpdesk import bootstrap
        from helpdesk.assistant.adapters.anthropic import ClaudeLlm, client_limits
        from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
        from helpdesk.knowledge.adapters.opensearch_index import OpenSearchIndex
        from helpdesk.knowledge.importing import ImportedArticle, iter_articles
        from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
        from helpdesk.platform.dynamo.tables import create_tables

        first = bootstrap.build()
        create_tables(first.tables)
        embedder = first.embedder
        kb = EmbeddedIndex(None, dimension=embedder.dimension)
        seed = [a for a in iter_articles(ROOT / "infra" / "seed" / "knowledge", id_prefix="seed-")
                if isinstance(a, ImportedArticle) and a.visibility == "public"]
        ArticleIndexer(kb, embedder).index_many(IndexableArticle(tenant_id="acme", article_id=a.id, version=1,
                                                                 title=a.title, body=a.text) for a in seed)
        opensearch, claude = serve(opensearch_handler(kb)), serve(AnthropicHandler)
        ai = first.settings.ai

        def container() -> Any:
            client = anthropic.Anthropic(api_key="sk-ant-bench", base_url=f"http://127.0.0.1:{claude.server_port}",
                                         **client_limits(ai, chat=True))
            llm = ClaudeLlm(client, name="anthropic", model_id=ai.model)
            index = OpenSearchIndex.connect(f"http://127.0.0.1:{opensearch.server_port}", index="kb-chunks",
                                            service="aoss", region="us-east-1", dimension=embedder.dimension)
            index._ready = True
            return bootstrap.build(embedder=embedder, knowledge_index=index, chat_llm=llm)

        def forget_breakers() -> None:
            client = boto3.client("dynamodb")
            table = first.tables.meta.Meta.table_name
            for item in client.scan(TableName=table)["Items"]:
                if item["pk"]["S"].startswith("BREAKER#"):
                    client.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})

        results: dict[str, Any] = {}
        for scenario, down in SCENARIOS:
            MODES.update(opensearch="ok", anthropic="ok")
            forget_breakers()
            services = [container().chat_service for _ in range(args.containers)]
            for service in services:  # warm containers: classifier trained, clients connected
                started = service.start_anonymous("acme")
                service.post(service.session_for(started.token, started.id), QUESTIONS[0])
            if down:
                MODES[down] = "hang"
            samples: list[float] = []
            waited = fell_back = degraded = 0
            for i in range(args.turns):
                service = services[i % len(services)]
                started = service.start_anonymous("acme")  # a conversation per turn: the same kind of turn each time
                session = service.session_for(started.token, started.id)
                start = time.perf_counter()
                reply = service.post(session, QUESTIONS[i % len(QUESTIONS)])
                samples.append(time.perf_counter() - start)
                degraded += reply.degraded
                decision = service.transcript(session)[-1].meta.get("decision") or {}
                # "open": skipped by the breaker; anything else: the turn waited for the dependency to fail
                waited += any(r not in (None, "open", "budget")
                              for r in (decision.get("fallback_reason"), decision.get("retrieval_error")))
                fell_back += bool(decision.get("fell_back"))
                if args.verbose:
                    print(scenario, i, round(samples[-1], 3), decision.get("fallback_reason"),
                          decision.get("retrieval_error"), decision.get("latency_ms"), file=sys.stderr)
            results[scenario] = {
                "turns": args.turns, "p50_s": round(percentile(samples, 50), 3),
                "p99_s": round(percentile(samples, 99), 3),
                "max_s": round(max(samples), 3), "turns_that_waited_on_the_dependency": waited,
                "turns_answered_by_the_offline_model": fell_back, "degraded_replies": degraded,
                "under_8_s": all(s < 8 for s in samples)}
        RELEASE.set()
        opensearch.shutdown()
        claude.shutdown()
    print(json.dumps({"containers": args.containers, "hang_s": args.hang_s,
                      "limits": {"turn_budget_s": ai.turn_budget_s, "llm_call_s": ai.chat_call_timeout_s,
                                 "retrieval_s": ai.retrieval_timeout_s, "breaker_failures": ai.breaker_failures},
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()
