"""py3langid's model cut to the languages the helpdesk tells apart, so that a cold start's first detection is quick.

py3langid ships one model for 142 language labels, `model.npz.xz`: 4.6 MB that xz-decompress to 68 MB. Reading it
took about 0.5 s of every cold start's first detection (a visitor's first chat message in `intent_rag`, a first mail
in `email_ingest`). `LanguageIdentifier.set_languages` then keeps the columns of `TOLD_APART`. The same cut, made
once and saved with numpy's zip compression (`data/langid-cut.npz`: nearly all of it the tokeniser's state table,
which every language shares), loads in a fraction of that and classifies exactly alike (`bench/language_id.py`,
`tests/unit/ai/test_langid_model.py`). Triage's language signal reads the same file, narrowed to its own list.

The file records the SHA-256 of the py3langid model it was cut from. If the installed py3langid carries another
model, that one is read and cut in memory as before, with a warning to cut it again:
`python -m helpdesk.kernel.langid_model`.
"""

import hashlib
import logging
from array import array
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CUT_FILE = Path(__file__).parent / "data" / "langid-cut.npz"

# The languages triage names a ticket's in (`triage.signals.language`; ours among them: `i18n.SUPPORTED`). A closed
# set makes short texts far less ambiguous (es vs gl, ...).
TICKET_LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "tr", "ru", "uk",
                    "ar", "he", "zh", "ja", "ko", "hi", "id", "vi", "th", "el", "ro", "hu")
# And the neighbours most often taken for one of ours when they are not there to be chosen: over our five alone, a
# Dutch, Swedish or Afrikaans question read as German and Catalan or Galician as Spanish, so the customer was answered
# in a language they did not write (`bench/language_id.py --po-dir`, test half: 3.4% of other languages' sentences,
# 0.56% with these told apart).
TOLD_APART = (*TICKET_LANGUAGES, "ca", "gl", "af", "lb", "eu", "oc", "an", "wa", "ms", "sk", "hr", "sl", "et", "lv",
              "lt", "is", "ga", "cy", "mt", "la", "eo", "br")


def source_file() -> Path:
    """The model file of the installed py3langid."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE  # type: ignore[import-untyped]

    return Path(MODEL_DIR) / str(MODEL_FILE)


def identifier(languages: Sequence[str] = TOLD_APART) -> Any:
    """py3langid's `LanguageIdentifier` (probabilities normalised) over `languages` only (some of `TOLD_APART`)."""
    from py3langid.langid import LanguageIdentifier

    source = source_file()
    if CUT_FILE.is_file():
        cut = _shipped_cut()
        if cut["source_sha256"] == _sha256(source) and set(languages) <= set(cut["classes"]):
            made = LanguageIdentifier(cut["ptc"], cut["pc"], cut["classes"], cut["nextmove"], cut["out_feat"],
                                      norm_probs=True, tk_row=cut["nextmove_row"])
            if set(languages) != set(made.nb_classes):
                made.set_languages(list(languages))  # new columns: the shared arrays stay as read
            return made
        log.warning("%s was not cut from %s: reading that one (cut it again: python -m helpdesk.kernel.langid_model)",
                    CUT_FILE.name, source)
    full = LanguageIdentifier.from_model_file(source, norm_probs=True)
    full.set_languages(list(languages))
    return full


@lru_cache(maxsize=1)
def _shipped_cut() -> dict[str, Any]:
    """The shipped file's arrays, read once per process: i18n's identifier and triage's are built from the same ones
    (reading it again cost a second process ~170 ms, and the tokeniser's table, most of it, twice the memory).
    py3langid only reads them."""
    import numpy as np

    with np.load(CUT_FILE) as cut:
        return {"ptc": cut["ptc"], "pc": cut["pc"], "classes": cut["classes"].tolist(),
                "nextmove": _array(cut["nextmove"]), "nextmove_row": _array(cut["nextmove_row"]),
                "out_feat": cut["out_feat"].tolist(), "source_sha256": str(cut["source_sha256"])}


def cut(languages: Sequence[str] = TOLD_APART, target: Path = CUT_FILE) -> None:
    """Write the installed py3langid's model, cut to `languages`, to `target`."""
    import numpy as np
    from py3langid.modelio import load_model  # type: ignore[import-untyped]

    source = source_file()
    ptc, pc, classes, nextmove, row, out_feat = load_model(source)
    wanted = set(languages)
    keep = [i for i, label in enumerate(classes) if label in wanted]  # a label may have several columns
    target.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(target, ptc=np.asarray(ptc)[:, keep], pc=np.asarray(pc)[keep],
                        classes=np.array([classes[i] for i in keep]), nextmove=_numpy(nextmove),
                        nextmove_row=_numpy(row), out_feat=np.asarray(out_feat, dtype=np.int32),
                        source_sha256=np.array(_sha256(source)))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_TYPECODES = {2: "H", 4: "I", 8: "L"}


def _array(values: Any) -> "array[int]":
    """A numpy array of unsigned ints as the stdlib array py3langid's tokeniser walks."""
    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(values.tobytes())
    return out


def _numpy(values: "array[int]") -> Any:
    import numpy as np

    return np.frombuffer(values, dtype={"H": np.uint16, "I": np.uint32, "L": np.uint64}[values.typecode])


if __name__ == "__main__":
    cut(TOLD_APART)
    print(f"wrote {CUT_FILE} ({CUT_FILE.stat().st_size} bytes) from {source_file()}")
