"""The catalogues: same keys and placeholders in every language, and every key the code uses
exists. No user-facing Korean lives in Python code."""

import ast
import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor

from bot.i18n import Translator, language_for
from locales import LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ("bot", "handlers", "storage", "scheduler")
KEY = re.compile(r"^[a-z]+(?:-[a-z0-9]+)+$")


class _Variables(Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:
        self.names.add(node.id.name)


def _messages(language: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (LOCALES_DIR / language).glob("*.ftl"):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, fluent_ast.Junk)]
        assert not junk, f"{path}: syntax error near {junk[0].content[:60]!r}"
        for entry in resource.body:
            if isinstance(entry, fluent_ast.Message):
                visitor = _Variables()
                visitor.visit(entry)
                found[entry.id.name] = visitor.names
    return found


def test_every_language_has_the_same_keys():
    keys = {language: set(_messages(language)) for language in LANGUAGES}
    for language in LANGUAGES:
        assert keys[language] == keys["ko"], language


def test_every_message_uses_the_same_placeholders_in_every_language():
    korean = _messages("ko")
    for language in LANGUAGES:
        other = _messages(language)
        for key, names in korean.items():
            assert other[key] == names, f"{language}:{key}"


def _string_constants() -> set[str]:
    constants: set[str] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    constants.add(node.value)
    return constants


def test_every_catalogue_key_the_code_names_exists():
    keys = set(_messages("ko"))
    named = {c for c in _string_constants() if KEY.match(c) and not c.startswith(("apply-",))}
    # Only strings that look like catalogue keys of a known family are checked.
    families = {key.split("-")[0] for key in keys}
    missing = sorted(c for c in named if c.split("-")[0] in families and c not in keys)
    assert not missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_renders_without_errors(language):
    translator = Translator(strict=True)
    for key, names in _messages(language).items():
        translator(language, key, **{name: "1" for name in names})


def test_user_text_is_html_escaped_but_catalogue_formatting_is_kept():
    translator = Translator(strict=True)
    text = translator("ko", "me-title", name="<script>alert(1)</script> & 'x'")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 'x'" in text
    assert "<b>" in text


def test_language_follows_choice_then_telegram_then_korean():
    assert language_for("en", "ko") == "en"
    assert language_for(None, "en-US") == "en"
    assert language_for(None, "de") == "ko"
    assert language_for(None, None) == "ko"


def test_no_hangul_in_python_code_outside_locales():
    hangul = re.compile(r"[\uac00-\ud7a3]")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in CODE_DIRS
        for path in (ROOT / folder).rglob("*.py")
        if hangul.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
