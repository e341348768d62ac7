"""Similarity thresholds per embedding model. A cosine means something different in every model's space
(MiniLM's unrelated texts sit near 0.1, USE's near 0.2), so each decision made on a cosine has its threshold
measured per model, on validation data, with the command that measured it (NOTES.md, "AI that earns trust").
A model we have not measured (Bedrock's) gets MiniLM's values until someone does."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    # The chat answers from a passage only when its cosine to the question (or its best sentence's) reaches
    # this; below it says it does not know. Chosen on the chat dev set's validation part (bench/chat_dev).
    answer_min_relevance: float
    # The knowledge loop: a published passage this close to a resolved ticket's question already covers it
    # (no draft). Chosen on StackFAQ pairs, half the threads published (`helpdesk ai eval`).
    kb_coverage: float


MINILM = Calibration(answer_min_relevance=0.45, kb_coverage=0.60)
CALIBRATIONS: dict[str, Calibration] = {
    "all-MiniLM-L6-v2-onnx-int8": MINILM,
    # answer: the most grounded answers with <= 10% misleading and >= 95% out-of-domain abstention on
    # bench/chat_dev validation (`helpdesk chat eval ... --queries bench/chat_dev/queries-val.jsonl --sweep`);
    # coverage: best on StackFAQ's validation half. Reply drafts cite what the chat answers with
    # (`assistant.evidence`): no threshold of their own.
    "use-multilingual-v3": Calibration(answer_min_relevance=0.42, kb_coverage=0.48),
}


def calibration_for(model_id: str) -> Calibration:
    return CALIBRATIONS.get(model_id, MINILM)
