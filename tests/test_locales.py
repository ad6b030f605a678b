"""The catalogues: same keys and placeholders in every language, and every key the code uses
exists. No user-facing Korean lives in Python code."""

import ast
import itertools
import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, FluentSerializer
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


# Particles whose form depends on the word before them: (after a final consonant, after a vowel).
# 으로/로 takes 로 after ㄹ too.
VARYING = [
    ("이에요", "예요"),
    ("이라고", "라고"),
    ("이랑", "랑"),
    ("이나", "나"),
    ("이었", "였"),
    ("으로", "로"),
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("과", "와"),
    ("아", "야"),
]
CLOSERS = re.compile(r"^(?:['\"’”」)\]]|</[a-z]+>)*")
SAMPLES = {"closed": "경찰청", "open": "경찰서", "rieul": "서울"}


def _form(kind: str, pair: tuple[str, str]) -> str:
    if kind == "open" or (kind == "rieul" and pair[0] == "으로"):
        return pair[1]
    return pair[0]


def _pair_of(morph: str) -> tuple[str, str]:
    return next(pair for pair in VARYING if morph in pair)


def _parsed_messages(language: str) -> dict[str, fluent_ast.Message]:
    found: dict[str, fluent_ast.Message] = {}
    for path in (LOCALES_DIR / language).glob("*.ftl"):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, fluent_ast.Message):
                found[entry.id.name] = entry
    return found


class _Particles(Visitor):
    """Bare ``{ $x }을`` in patterns, and the JOSA/PARTICLE calls and selectors of a message."""

    def __init__(self) -> None:
        self.bare: list[str] = []
        self.calls: list[tuple[str, str]] = []
        self.selectors: dict[str, list[str | int]] = {}

    def visit_Pattern(self, node: fluent_ast.Pattern) -> None:
        elements = node.elements
        for before, after in itertools.pairwise(elements):
            if not (
                isinstance(before, fluent_ast.Placeable)
                and isinstance(before.expression, fluent_ast.VariableReference)
                and isinstance(after, fluent_ast.TextElement)
            ):
                continue
            rest = CLOSERS.sub("", after.value)
            for pair in VARYING:
                if rest.startswith(pair):
                    self.bare.append(f"{{ ${before.expression.id.name} }}{after.value[:8]}")
                    break
        self.generic_visit(node)

    def visit_FunctionReference(self, node: fluent_ast.FunctionReference) -> None:
        if node.id.name in ("JOSA", "PARTICLE"):
            word, morph = node.arguments.positional
            assert isinstance(word, fluent_ast.VariableReference)
            assert isinstance(morph, fluent_ast.StringLiteral)
            self.calls.append((word.id.name, morph.value))
        self.generic_visit(node)

    def visit_SelectExpression(self, node: fluent_ast.SelectExpression) -> None:
        if isinstance(node.selector, fluent_ast.VariableReference):
            keys = self.selectors.setdefault(node.selector.id.name, [])
            for variant in node.variants:
                key = variant.key
                keys.append(
                    int(key.value) if isinstance(key, fluent_ast.NumberLiteral) else key.name
                )
        self.generic_visit(node)


def test_no_placeholder_is_followed_by_a_fixed_particle():
    offenders = {}
    for key, message in _parsed_messages("ko").items():
        visitor = _Particles()
        visitor.visit(message)
        if visitor.bare:
            offenders[key] = visitor.bare
    assert offenders == {}, 'write { JOSA($x, "을") } or \'{ $x }\'{ PARTICLE($x, "을") }'


def test_no_form_letter_particles_like_eul_reul():
    form_letter = re.compile(r"[을이은과아]\([를가는와야]\)|\((?:으|이)\)")
    for path in (LOCALES_DIR / "ko").glob("*.ftl"):
        found = form_letter.findall(path.read_text(encoding="utf-8"))
        assert found == [], path.name


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_particle_after_a_placeholder_fits_the_word(kind):
    """Each message with a particle after a placeholder, rendered with words ending in a final
    consonant, in none and in ㄹ, shows the particle that word takes (in every variant)."""
    translator = Translator(strict=True)
    sample = SAMPLES[kind]
    checked = 0
    for key, message in _parsed_messages("ko").items():
        visitor = _Particles()
        visitor.visit(message)
        if not visitor.calls:
            continue
        names = _messages("ko")[key]
        words = {name for name, _ in visitor.calls}
        base: dict[str, str | int] = {name: "1" for name in names}
        base.update({name: sample for name in words})
        renderings = [base]
        for selector, keys in visitor.selectors.items():
            renderings += [{**base, selector: value} for value in keys if selector not in words]
        seen: set[str] = set()
        for args in renderings:
            text = translator("ko", key, **args)
            for match in re.finditer(re.escape(sample), text):
                rest = CLOSERS.sub("", text[match.end() :])
                pair = next((p for p in VARYING if rest.startswith(p)), None)
                if pair is None:
                    continue
                right = _form(kind, pair)
                assert rest.startswith(right), f"{key}: {text!r}"
                seen.add(right)
        for _, morph in visitor.calls:
            assert _form(kind, _pair_of(morph)) in seen, f"{key}: {morph} never rendered"
        checked += 1
    assert checked >= 10


# Messages only leaders (or the leaders' chats) read; every other message is a participant's.
LEADER_ONLY = re.compile(
    r"^(?:help-leader|application-|reject-|pending-|review-(?!told-)|audit-|stats-|top-"
    r"|leaders-(?:title|line)|broadcast-|export-|participant-(?!told-)|handout-"
    r"|button-(?:pause|resume|remove|fix-|handout-|approve|reject|keep-pending|revoke|restore"
    r"|keep-certification|risk-(?:forward|resolve|reject|keep)|theme-|idea-use|broadcast-)"
    r"|milestone-(?:leader|flag-leader)|report-leader-|report-chart-"
    r"|privacy-(?:backup|left-behind|message-erased)|error-leader-report"
    r"|risk-(?:card|ask-agency|agency|agencies-changed|forwarded-done|ask-resolve-note"
    r"|ask-reject-reason|resolved-done|rejected-done|kept|unknown|already-closed|status-|export-)"
    r"|theme-(?!announcement)|ideas-|idea-card|idea-gone"
    r"|command-(?:stats|top|leaders|broadcast|export|backup|participant|pending|audit|theme|ideas"
    r"|console)|web-|console-)"
)
GLOSSARY = LOCALES_DIR / "GLOSSARY.md"


def _korean_texts() -> dict[str, str]:
    """Every ko message's full text (all variants), placeholders left as written."""
    texts: dict[str, str] = {}
    for path in (LOCALES_DIR / "ko").glob("*.ftl"):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, fluent_ast.Message):
                texts[entry.id.name] = FluentSerializer().serialize_entry(entry)
    return texts


def _forbidden_words() -> list[tuple[str, str]]:
    """(word, where) from the glossary's table: words in backticks in the "not" column."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[3] in ("전체", "참여자"):
            rows += [(word, cells[3]) for word in re.findall(r"`([^`]+)`", cells[2])]
    return rows


def test_the_glossary_names_the_words_it_forbids():
    words = dict(_forbidden_words())
    assert {"기념품", "선물", "단톡방", "캠페인 그룹", "경찰서 담당자", "회원", "차수"} <= set(
        words
    )


def test_the_catalogue_keeps_to_the_glossary():
    offenders = []
    for key, text in _korean_texts().items():
        for word, where in _forbidden_words():
            if where == "참여자" and LEADER_ONLY.match(key):
                continue
            if word in text:
                offenders.append(f"{key}: {word}")
    assert offenders == []


def test_sin_go_means_only_an_emergency_call_to_112():
    for key, text in _korean_texts().items():
        for match in re.finditer("신고", text):
            assert "112" in text[max(0, match.start() - 12) : match.start()], key


def test_every_message_speaks_haeyo_not_hapsyo_or_banmal():
    hapsyo = re.compile(r"(?:니다|니까|십시오)(?=[\s.!?,)~:]|$)")
    banmal = re.compile(r"[가-힣](?<![요까])다[.!?](?=\s|$)")
    offenders = [
        key for key, text in _korean_texts().items() if hapsyo.search(text) or banmal.search(text)
    ]
    assert offenders == []


def test_participant_messages_sound_like_haeyo():
    """Each participant sentence that ends a line ends the way 해요체 does (요, or a question)."""
    ending = re.compile(r"[가-힣]([.!])\s*$")
    for key, text in _korean_texts().items():
        if LEADER_ONLY.match(key):
            continue
        for line in text.splitlines():
            found = ending.search(line)
            if found:
                assert re.search(r"요[.!]\s*$", line), f"{key}: {line.strip()}"


TOWN_WORDS = ["익산", "영등", "모현", "함열", "원광", "Iksan", "Yeongdeung", "Wonkwang", "063-"]


def test_no_town_belongs_to_the_catalogue():
    """Every station can use the bot: no place from one campaign (the example file's station,
    its town's schools, neighbourhoods, volunteer centre, phone) appears in any language."""
    example = (ROOT / "campaign.example.toml").read_text(encoding="utf-8")
    station = re.search(r'^station = "(.+)"', example, re.MULTILINE)
    assert station is not None
    words = [*TOWN_WORDS, station.group(1), station.group(1).removesuffix("경찰서")]
    offenders = [
        f"{path.relative_to(LOCALES_DIR)}: {word}"
        for path in LOCALES_DIR.glob("*/*.ftl")
        for word in words
        if word in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_policy_numbers_come_from_the_campaign_file():
    translator = Translator(strict=True)
    welcome = {"name": "민지", "campaign": "캠페인", "station": "○○경찰서", "status": "other"}
    assert "봉사시간 45분이" in translator("ko", "welcome", minutes=45, **welcome)
    assert "45 minutes" in translator("en", "welcome", minutes=45, **welcome)
    consent = translator("ko", "signup-consent", station="○○경찰서", retention_days=90)
    assert "90일이 지나면 지워요" in consent and "마무리될 때까지" not in consent
    assert "90 days" in translator("en", "signup-consent", station="x", retention_days=90)
    for path in LOCALES_DIR.glob("*/*.ftl"):
        text = path.read_text(encoding="utf-8")
        assert "30분" not in text and "30 minutes" not in text, path.name
