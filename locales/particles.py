"""Korean particles (은/는, 이/가, 을/를, 과/와, 으로/로, 이에요/예요 ...) fitting the word before.

The catalogue writes ``{ JOSA($station, "과") }`` (the word and its particle) or, after a closing
quote or tag, ``'{ $category }'{ PARTICLE($category, "을") }`` (the particle alone). Hangul and
digits are decided by ``tossi`` (it reads 3 as 삼, 8 as 팔); a word ending in Latin letters is
read the way Koreans say it (Minji 민지, Tom 톰, CCTV 씨씨티비, Apple 애플), which ``tossi`` leaves
as ``을(를)``: a friendly bot never writes both forms.
"""

from __future__ import annotations

import html
import re
from typing import Any

import tossi  # type: ignore[import-untyped]  # the package publishes no type information
from babel import Locale
from fluent.runtime.types import FluentNone, FluentNumber

# A syllable that ends the way the word is pronounced: no final consonant, ㄹ, or another one.
_OPEN, _RIEUL, _CLOSED = "가", "갈", "각"

# The last Latin letters of a word, and the last letter or digit of anything.
_LATIN_TAIL = re.compile(r"[A-Za-z]+$")
_ASIDE = re.compile(r"\([^()]*\)$")
_SIGNIFICANT = re.compile(r"[0-9A-Za-z\uac00-\ud7a3\u3131-\u318e]")

# How a capital letter is spelt out (CCTV 씨씨티비, LH 엘에이치): only L, R (엘, 알) end in ㄹ,
# only M, N (엠, 엔) in another final consonant.
_LETTER_NAME = {"L": _RIEUL, "R": _RIEUL, "M": _CLOSED, "N": _CLOSED}
_VOWELS = "aeiou"


def _latin_model(letters: str) -> str:
    """A Hangul syllable ending like the Korean reading of a Latin word."""
    if letters.isupper() and len(letters) <= 4:
        return _LETTER_NAME.get(letters[-1], _OPEN)  # an abbreviation, read letter by letter
    word = letters.lower()
    last = word[-1]
    if word.endswith("ng") or last in "mn" or word.endswith(("me", "ne")):
        return _CLOSED  # Tom 톰, Jason 제이슨, King 킹, Jane 제인
    if last == "l" or word.endswith("le"):
        return _RIEUL  # Daniel 대니얼, Apple 애플, Michelle 미셸
    if word.endswith(("ck", "tt", "pp", "bb")):
        return _CLOSED  # Jack 잭, Matt 맷
    short_vowel = len(word) >= 2 and word[-2] in _VOWELS and word[-3:-2] not in tuple(_VOWELS)
    if last in "bpktc" and short_vowel:
        return _CLOSED  # Bob 밥, Eric 에릭, Robot 로봇; not Kate, Boat
    return _OPEN  # Minji 민지, Peter 피터, James 제임스, Mike 마이크, David 데이비드


def _model(word: str) -> str:
    """The part of ``word`` that decides its particle, as text ``tossi`` reads correctly."""
    plain = html.unescape(word).rstrip()
    while (aside := _ASIDE.search(plain)) and aside.start() > 0:
        plain = plain[: aside.start()].rstrip()  # 민지(학생)는: the aside is not read
    cut = len(plain)
    while cut and not _SIGNIFICANT.match(plain[cut - 1]):
        cut -= 1  # closing quotes, brackets, dots, emoji
    plain = plain[:cut]
    if not plain:
        return _OPEN  # nothing to read: the form after a vowel reads least oddly
    latin = _LATIN_TAIL.search(plain)
    if latin:
        return _latin_model(latin.group())
    return plain


def particle(word: str, morph: str) -> str:
    """The form of particle ``morph`` (given in either form, e.g. "을" or "를") after ``word``."""
    return str(tossi.pick(_model(word), morph))


def attach(word: str, morph: str) -> str:
    """``word`` followed by the right form of ``morph``: 경찰서와, 경찰청과, 서울로, 3차를."""
    return word + particle(word, morph)


FluentArg = object  # str, FluentNumber or FluentNone, as fluent.runtime passes them


def fluent_functions(language: str) -> dict[str, Any]:
    """``JOSA`` and ``PARTICLE`` for a Fluent bundle of ``language`` (typed loosely: fluent.runtime
    declares one-argument functions)."""
    locale = Locale.parse(language)

    def text(value: FluentArg) -> str:
        if isinstance(value, FluentNumber):
            return value.format(locale)
        if isinstance(value, FluentNone) or value is None:
            return ""
        return str(value)

    def josa(value: FluentArg, morph: FluentArg) -> str:
        return attach(text(value), text(morph))

    def particle_only(value: FluentArg, morph: FluentArg) -> str:
        return particle(text(value), text(morph))

    return {"JOSA": josa, "PARTICLE": particle_only}
