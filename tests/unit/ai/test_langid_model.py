"""py3langid's model cut to the languages we tell apart (`helpdesk/kernel/langid_model.py`): the shipped file is the
installed py3langid's model cut as `LanguageIdentifier.set_languages` cuts it, it classifies exactly alike (narrowed
further too, as triage reads it), and another model in py3langid is read as before."""

from pathlib import Path

import numpy as np
import pytest

from helpdesk.kernel import langid_model
from helpdesk.kernel.i18n import SUPPORTED, identify
from helpdesk.kernel.langid_model import TICKET_LANGUAGES, TOLD_APART

TEXTS = [
    "How do I reset my password?", "Wie setze ich mein Passwort zurück?", "¿Cómo restablezco mi contraseña?",
    "Bonjour, je ne peux pas me connecter", "Não consigo entrar na minha conta", "Ciao, non riesco ad accedere",
    "Ik kan niet inloggen", "charged twice", "Danke!", "Merci beaucoup pour votre aide", "ok ok", "1234 5678",
    "Hola, mi pedido no ha llegado todavía y necesito ayuda urgente con el envío número 4411.",
]


def _in_memory(languages: tuple[str, ...] = TOLD_APART) -> object:
    from py3langid.langid import LanguageIdentifier  # type: ignore[import-untyped]

    full = LanguageIdentifier.from_model_file(langid_model.source_file(), norm_probs=True)
    full.set_languages(list(languages))
    return full


def test_the_shipped_file_is_the_installed_py3langid_model_cut(tmp_path: Path) -> None:
    with np.load(langid_model.CUT_FILE) as shipped:
        assert str(shipped["source_sha256"]) == langid_model._sha256(langid_model.source_file()), (
            "py3langid's model changed: python -m helpdesk.kernel.langid_model")
        langid_model.cut(TOLD_APART, tmp_path / "cut.npz")
        with np.load(tmp_path / "cut.npz") as again:
            assert shipped.files == again.files
            for name in shipped.files:
                assert np.array_equal(shipped[name], again[name]), name


@pytest.mark.parametrize("languages", [TOLD_APART, TICKET_LANGUAGES, SUPPORTED], ids=["told-apart", "triage", "ours"])
def test_the_cut_model_classifies_as_py3langid_cut_in_memory(languages: tuple[str, ...],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="helpdesk.kernel.langid_model"):
        cut = langid_model.identifier(languages)
    assert not caplog.records  # the shipped file was read, not py3langid's
    full = _in_memory(languages)
    for text in TEXTS:
        (code, probability), (expected, expected_probability) = cut.classify(text), full.classify(text)  # type: ignore[attr-defined]
        assert code == expected, text
        assert probability == pytest.approx(expected_probability, abs=1e-6), text


def test_another_model_in_py3langid_is_read_and_cut_as_before(monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    real = langid_model._sha256
    monkeypatch.setattr(langid_model, "_sha256", lambda path: "0" * 64 if path != langid_model.CUT_FILE else real(path))
    with caplog.at_level("WARNING", logger="helpdesk.kernel.langid_model"):
        identifier = langid_model.identifier(SUPPORTED)
    assert "python -m helpdesk.kernel.langid_model" in caplog.text
    assert sorted(identifier.nb_classes) == sorted(SUPPORTED)
    assert not (set(SUPPORTED) | set(TICKET_LANGUAGES)) - set(TOLD_APART)  # what either reads is in the shipped cut
    assert identifier.classify("Wie setze ich mein Passwort zurück?")[0] == "de"


@pytest.mark.parametrize(("text", "language"), [
    ("Hoe kan ik mijn wachtwoord opnieuw instellen?", None),  # Dutch: over our five alone, German
    ("Hur återställer jag mitt lösenord?", None),  # Swedish: German before
    ("Com puc restablir la meva contrasenya?", None),  # Catalan
    ("Come posso reimpostare la mia password?", None),
    ("Wie setze ich mein Passwort zurück?", "de"),
    ("¿Cómo restablezco mi contraseña?", "es"),
    ("Como faço para redefinir minha senha?", "pt"),
    ("Comment réinitialiser mon mot de passe ?", "fr"),
    ("How do I reset my password?", "en"),
])
def test_a_language_we_do_not_write_is_not_taken_for_one_we_do(text: str, language: str | None) -> None:
    assert identify(text) == language  # None: the caller's English
