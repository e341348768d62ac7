"""A cold start's first language detection: `i18n.detect` in a fresh interpreter, reading the shipped cut of
py3langid's model (`helpdesk/kernel/langid_model.py`), beside py3langid's own model cut in memory as before.

Each figure is a fresh interpreter's wall time minus an empty interpreter's, the three run in turn (`import_ratio`).

    .venv/bin/python bench/language_id.py [--runs 7]
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import ROOT, import_ratio

FIRST_DETECTION = ("from helpdesk.kernel.i18n import detect\n"
                   "assert detect('Wie setze ich mein Passwort zurück?') == 'de'")
BEFORE = ("from py3langid.langid import MODEL_FILE, LanguageIdentifier\n"
          "identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)\n"
          "identifier.set_languages(['en', 'de', 'es', 'fr', 'pt'])\n"
          "assert identifier.classify('Wie setze ich mein Passwort zurück?')[0] == 'de'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "shared")}
    ours, before, ratio = import_ratio(FIRST_DETECTION, BEFORE, runs=args.runs, env=env)
    print(f"{'first detection in a fresh interpreter':42} {'ms':>8}")
    print(f"{'py3langid model cut in memory (before)':42} {before:8.1f}")
    print(f"{'the shipped cut (i18n.detect)':42} {ours:8.1f}")
    print(f"{'ratio':42} {ratio:8.2f}")


if __name__ == "__main__":
    main()
