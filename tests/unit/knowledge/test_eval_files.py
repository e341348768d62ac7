"""The evaluation commands read the files outside evaluations bring: ours ({"id"}, qrels with a `query_id` header),
BEIR's ({"_id"}, a "query-id corpus-id score" header), TREC's qrels, numbered ids, a byte order mark; a bad row
says where it is."""

from pathlib import Path

import pytest

from helpdesk.intents.evaluation import read_rows
from helpdesk.knowledge.evaluation import CorpusRow, QueryRow, read_jsonl, read_qrels


def test_beir_rows_and_numbered_ids_are_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"_id": "d1", "title": "Reset", "text": "Choose Forgot password."}\n'
                      '{"id": 7, "text": "Refunds take five days."}\n', encoding="utf-8")
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"_id": 1, "text": "I forgot my password"}\n', encoding="utf-8")

    assert [(r.id, r.title) for r in read_jsonl(corpus, CorpusRow)] == [("d1", "Reset"), ("7", "")]
    assert [q.id for q in read_jsonl(queries, QueryRow)] == ["1"]


@pytest.mark.parametrize("text", [
    "query_id\tdoc_id\trelevance\nq1\td1\t1\nq1\td2\t0\nq2\t7\t2\n",  # ours
    "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\t7\t2\n",  # BEIR
    "q1 0 d1 1\nq1 0 d2 0\nq2 0 7 2\n",  # TREC
    "q1\td1\nq2\t7\n",  # pairs, no relevance
    "query-id,corpus-id,score\nq1,d1,1\nq1,d2,0\nq2,7,2.0\n",  # CSV: read as no judgements at all before
    "q1 d1 1\r\nq2 7 1\r\n\n",  # spaces, Windows line ends, a blank line
])
def test_qrels_in_each_format_give_the_same_judgements(tmp_path: Path, text: str) -> None:
    path = tmp_path / "qrels.tsv"
    path.write_text(text, encoding="utf-8")
    assert read_qrels(path) == {"q1": {"d1"}, "q2": {"7"}}


@pytest.mark.parametrize(("text", "error"), [
    ("query_id\tdoc_id\trelevance\nq1\td1\thigh\n", r"qrels.tsv:2: relevance 'high'"),  # past the header
    ("q1\td1\t1\nq2\n", r"qrels.tsv:2: expected query_id, doc_id"),  # no judgement on the line
])
def test_a_line_that_cannot_be_read_names_its_line(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "qrels.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        read_qrels(path)


def test_a_byte_order_mark_written_by_windows_tools_is_no_part_of_the_first_row(tmp_path: Path) -> None:
    corpus, qrels, rows = tmp_path / "corpus.jsonl", tmp_path / "qrels.tsv", tmp_path / "train.jsonl"
    corpus.write_text('\ufeff{"id": "d1", "text": "Refunds take five days."}\n', encoding="utf-8")
    qrels.write_text("\ufeffq1\td1\t1\n", encoding="utf-8")
    rows.write_text('\ufeff{"text": "where is my card", "label": "card"}\n', encoding="utf-8")

    assert [r.id for r in read_jsonl(corpus, CorpusRow)] == ["d1"]
    assert read_qrels(qrels) == {"q1": {"d1"}}
    assert [r.label for r in read_rows(rows).rows] == ["card"]


def test_numbered_intent_labels_are_labels(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"text": "where is my card", "label": 42}\n', encoding="utf-8")
    assert [r.label for r in read_rows(path).rows] == ["42"]


def test_a_line_that_is_not_utf8_names_its_file_and_line(tmp_path: Path) -> None:
    """Latin-1 from an old export: the error named neither the file nor the line."""
    corpus, rows = tmp_path / "corpus.jsonl", tmp_path / "train.jsonl"
    corpus.write_bytes(b'{"id": "d1", "text": "ok"}\n{"id": "d2", "text": "caf\xe9"}\n')
    rows.write_bytes(b'{"text": "caf\xe9", "label": "food"}\n')
    with pytest.raises(ValueError, match=r"corpus.jsonl:2: not UTF-8 \(byte 0xe9 at column 26\)"):
        read_jsonl(corpus, CorpusRow)
    with pytest.raises(ValueError, match=r"train.jsonl:1: not UTF-8"):
        read_rows(rows)


def test_a_line_separator_inside_a_text_is_no_line_break(tmp_path: Path) -> None:
    """U+2028 is a line break to `str.splitlines`: a row whose text held one was read as two broken rows."""
    rows = tmp_path / "train.jsonl"
    rows.write_text('{"text": "first\u2028second", "label": "card"}\n', encoding="utf-8")
    assert [r.text for r in read_rows(rows).rows] == ["first\u2028second"]
