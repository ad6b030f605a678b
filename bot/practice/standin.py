"""An honest, in-memory fake of the Telegram Bot API, and a PTB request class that talks to it.

:class:`FakeTelegram` answers Bot API methods the way Telegram does: the same HTTP status codes,
the same ``{"ok": ..., "result"/"description": ...}`` bodies, the same error descriptions for
the mistakes a bot typically makes (missing fields, "message is not modified", blocked users,
unescaped HTML, callback data over 64 bytes, ...). Every result it produces is checked against
the official method/type list in ``bot/practice/telegram-bot-api/api.min.json`` (each required
field present, no field Telegram does not know), so PTB parses it exactly like a real answer.

Error descriptions are Telegram's own where known; the few approximated ones are marked
``# approx.`` in the code. Methods that exist in the spec but are not modelled here answer
``True`` if the spec says they return ``True``, otherwise HTTP 501 so a test notices.

:class:`FakeRequest` plugs a :class:`FakeTelegram` into PTB (``ApplicationBuilder().request()``
and ``.get_updates_request()``, or ``Bot(token, request=...)``) without any network.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import functools
import hashlib
import hmac
import io
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlencode

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = [
    "BOT_FIRST_NAME",
    "BOT_ID",
    "BOT_USERNAME",
    "DEFAULT_TOKEN",
    "FAULT_KINDS",
    "ApiError",
    "FakeRequest",
    "FakeTelegram",
    "RecordedCall",
    "TransportFault",
    "UploadedFile",
    "check_value",
    "decode_params",
    "fill_required",
    "format_text",
    "load_api_spec",
    "parameter_problems",
    "spec_method_name",
    "telegram_photo_variants",
    "web_app_init_data",
]

log = logging.getLogger(__name__)

SPEC_DIR = Path(__file__).resolve().parent / "telegram-bot-api"

BOT_ID = 7000000001
BOT_FIRST_NAME = "Safety Partner Bot"
BOT_USERNAME = "iksan_safety_bot"
DEFAULT_TOKEN = f"{BOT_ID}:AAFakeTokenForTests-0123456789abcde"

JSON = dict[str, Any]

_CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_WRONG_FILE = "Bad Request: wrong file identifier/HTTP URL specified"
# Update types Telegram delivers when getUpdates never received ``allowed_updates``.
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_MEDIA_KINDS = ("photo", "document", "video", "audio", "animation", "voice", "sticker")
_FILE_DIRS = {
    "photo": ("photos", "jpg"),
    "document": ("documents", "bin"),
    "video": ("videos", "mp4"),
    "audio": ("music", "mp3"),
    "animation": ("animations", "mp4"),
    "voice": ("voice", "oga"),
    "sticker": ("stickers", "webp"),
}
_MAX_DOWNLOAD = 20 * 1024 * 1024
# Previews Telegram adds below a photo's largest size (it also makes 800 px ones; two previews
# plus the largest keeps the lists short and is what many photos get).
PHOTO_PREVIEW_SIDES = (90, 320)


# --------------------------------------------------------------------------------------------
# The spec


@functools.cache
def load_api_spec() -> dict[str, Any]:
    """The Bot API description (``{"methods": {...}, "types": {...}, "version": ...}``)."""
    with (SPEC_DIR / "api.min.json").open(encoding="utf-8") as fh:
        return cast("dict[str, Any]", json.load(fh))


@functools.cache
def _method_index() -> dict[str, str]:
    return {name.lower(): name for name in load_api_spec()["methods"]}


def spec_method_name(method: str) -> str | None:
    """The spec's spelling of ``method`` (Telegram matches method names case-insensitively)."""
    return _method_index().get(method.lower())


def _fields(kind: str, name: str) -> list[JSON]:
    return cast("list[JSON]", load_api_spec()[kind][name].get("fields", []))


def check_value(types: str | Iterable[str], value: Any, path: str = "result") -> list[str]:
    """Problems with ``value`` as one of the Bot API ``types`` (``[]`` when it fits).

    Objects must carry every required field and no field the spec does not know; abstract
    types (``ChatMember``, ``MessageOrigin``, ...) must fit one of their subtypes.
    """
    alternatives = [types] if isinstance(types, str) else list(types)
    first: list[str] | None = None
    for alternative in alternatives:
        problems = _check_one(alternative, value, path)
        if not problems:
            return []
        if first is None:
            first = problems
    return first or [f"{path}: no type given"]


def _check_one(type_name: str, value: Any, path: str) -> list[str]:
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{path}: expected {type_name}, got {type(value).__name__}"]
        inner = type_name.removeprefix("Array of ")
        return [p for i, item in enumerate(value) for p in _check_one(inner, item, f"{path}[{i}]")]
    scalar_ok: dict[str, Callable[[Any], bool]] = {
        "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "String": lambda v: isinstance(v, str),
        "Boolean": lambda v: isinstance(v, bool),
        "True": lambda v: v is True,
        "InputFile": lambda v: True,
    }
    if type_name in scalar_ok:
        return [] if scalar_ok[type_name](value) else [f"{path}: {value!r} is not {type_name}"]
    spec_type = load_api_spec()["types"].get(type_name)
    if spec_type is None:
        return [f"{path}: unknown type {type_name}"]
    if spec_type.get("subtypes"):
        return check_value(spec_type["subtypes"], value, path)
    if not isinstance(value, dict):
        return [f"{path}: expected {type_name} object, got {type(value).__name__}"]
    known = {f["name"]: f for f in spec_type.get("fields", [])}
    problems = [f"{path}.{key}: not a field of {type_name}" for key in value if key not in known]
    for name, spec_field in known.items():
        if name not in value:
            if spec_field["required"]:
                problems.append(f"{path}.{name}: required field of {type_name} missing")
            continue
        problems.extend(check_value(spec_field["types"], value[name], f"{path}.{name}"))
    return problems


def fill_required(type_name: str, obj: JSON) -> JSON:
    """``obj`` with every missing required scalar field of ``type_name`` set to 0/False/""."""
    defaults = {"Integer": 0, "Float": 0.0, "Boolean": False, "String": ""}
    for spec_field in _fields("types", type_name):
        if spec_field["required"] and spec_field["name"] not in obj:
            kind = spec_field["types"][0]
            if kind in defaults:
                obj[spec_field["name"]] = defaults[kind]
    return obj


# --------------------------------------------------------------------------------------------
# Errors, requests and records


class ApiError(Exception):
    """A refusal, rendered as Telegram's error body."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class UploadedFile:
    """A file that came as a multipart/form-data part."""

    name: str
    filename: str
    mime_type: str
    data: bytes = field(repr=False)


@dataclass
class RecordedCall:
    """One Bot API call as the fake saw it (also the refused ones)."""

    method: str
    params: dict[str, Any]
    status: int = 200
    response: JSON = field(default_factory=dict, repr=False)
    files: dict[str, UploadedFile] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        return cast("str | None", self.response.get("description"))


class TransportFault(Exception):
    """The connection failed instead of Telegram answering: ``kind`` is ``"timeout"`` (no answer
    in time) or ``"drop"`` (the connection was cut). ``applied`` says whether Telegram carried
    out the call before its answer was lost -- the case no bot can tell from a plain time-out."""

    def __init__(self, kind: str, applied: bool) -> None:
        super().__init__(f"injected {kind}" + (" after the call was applied" if applied else ""))
        self.kind = kind
        self.applied = applied


# What ``inject_fault`` can do to a call: Telegram answers 500, answers 429 (retry_after 1),
# never answers (time-out, the call not applied), cuts the connection (not applied), or carries
# out the call and then the answer is lost (a time-out after the message went out).
FAULT_KINDS = ("500", "429", "timeout", "drop", "lost_answer")


@dataclass
class _PlannedFault:
    kind: str
    method: str | None  # None: any method but getUpdates
    call: int  # the n-th matching call from when it was planned, 1-based
    chat_id: int | None = None  # only calls to this chat count
    seen: int = 0


@dataclass
class _InjectedFailure:
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None = None
    file_path: str | None = None
    file_size: int | None = None
    media: JSON | None = None  # the Document/Voice/... object Telegram shows for it
    path: Path | None = None  # bytes read from this file when downloaded (large bench photos)


def decode_params(method: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn wire values into Python values the way the Bot API reads them.

    ``raw`` holds either form values (all strings; PTB JSON-encodes every non-string value and
    sends strings as they are) or values from a JSON body. Each field is read according to its
    types in the spec: numbers for ``Integer``, JSON for objects and arrays, ``true``/``false``
    for ``Boolean``. Fields the spec does not list are kept (Telegram ignores them).
    """
    spec_fields = {f["name"]: f["types"] for f in _fields("methods", method)}
    return {
        name: _decode_value(name, spec_fields[name], value) if name in spec_fields else value
        for name, value in raw.items()
    }


# A parameter PTB sends to methods that do not have it, and Telegram ignores: PTB 22 adds the
# Defaults' parse_mode to calls such as editMessageReplyMarkup and sendLocation.
_IGNORED_PARAMETERS = frozenset({"parse_mode"})


def parameter_problems(method: str, params: Mapping[str, Any]) -> list[str]:
    """What in ``params`` (decoded) the spec does not know or that is not of the spec's types."""
    spec_fields = {f["name"]: f["types"] for f in _fields("methods", method)}
    problems = []
    for name, value in params.items():
        if name not in spec_fields:
            if name not in _IGNORED_PARAMETERS:
                problems.append(f"{method}: {name} is not a parameter of {method}")
            continue
        if isinstance(value, UploadedFile) or value is None:
            continue
        problems.extend(check_value(spec_fields[name], value, f"{method}.{name}"))
    return problems


def _decode_value(name: str, types: list[str], value: Any) -> Any:
    if not isinstance(value, str):
        return value
    structured = [t for t in types if t not in ("Integer", "Float", "String", "Boolean", "True")]
    structured = [t for t in structured if t != "InputFile"]
    stripped = value.strip()
    if structured and stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except ValueError:
            if name == "reply_markup":
                raise _bad("can't parse reply keyboard markup JSON object") from None
            raise _bad(f"can't parse {name} JSON object") from None  # approx.
    if "Integer" in types and re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    if "Float" in types:
        try:
            return float(stripped)
        except ValueError:
            pass
    if ("Boolean" in types or "True" in types) and stripped.lower() in ("true", "false", "1", "0"):
        return stripped.lower() in ("true", "1")
    if "String" in types or "InputFile" in types:
        return value
    if types == ["Integer"]:
        raise _bad(f'field "{name}" must be a valid Number')
    if types == ["Boolean"]:
        raise _bad(f'field "{name}" must be a valid Boolean')  # approx.
    return value


# --------------------------------------------------------------------------------------------
# Text formatting (parse_mode) -- enough of Telegram's parsers to give the same text/entities
# and the same "can't parse entities" refusals for the usual mistakes.


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JSON] = []

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.pos += _u16(chunk)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.pos - start, **extra}
            )

    def text(self) -> str:
        return "".join(self.parts)


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _html_attributes(text: str, i: int, begin: int) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise _bad(f"can't parse entities: Unclosed start tag at byte offset {begin}")
        if text[i] == ">":
            return attrs, i + 1
        start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[start:i].lower()
        while i < n and text[i].isspace():
            i += 1
        value = ""
        if i < n and text[i] == "=":
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] in "\"'":
                end = text.find(text[i], i + 1)
                if end == -1:
                    raise _bad(f"can't parse entities: Unclosed start tag at byte offset {begin}")
                value, i = text[i + 1 : end], end + 1
            else:
                start = i
                while i < n and not text[i].isspace() and text[i] != ">":
                    i += 1
                value = text[start:i]
        attrs[name] = _html_unescape(value)


def _html_unescape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("#"):
            try:
                code = int(body[2:], 16) if body[1:2] in "xX" else int(body[1:])
                return chr(code)
            except (ValueError, OverflowError):
                return match.group(0)
        return _HTML_ENTITIES.get(body, match.group(0))

    return re.sub(r"&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);", repl, text)


def parse_html(text: str) -> tuple[str, list[JSON]]:
    out = _Builder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "&":
            match = re.match(r"&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);", text[i:])
            if match:
                out.add(_html_unescape(match.group(0)))
                i += match.end()
            else:
                out.add("&")
                i += 1
            continue
        if char != "<":
            out.add(char)
            i += 1
            continue
        begin = _byte_offset(text, i)
        if text[i + 1 : i + 2] == "/":
            end = text.find(">", i)
            if end == -1:
                raise _bad(f"can't parse entities: Unclosed end tag at byte offset {begin}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise _bad(f"can't parse entities: Unexpected end tag at byte offset {begin}")
            tag, start, attrs = stack.pop()
            if name != tag:
                raise _bad(
                    f"can't parse entities: Unmatched end tag at byte offset {begin}, "
                    f'expected "</{tag}>", found "</{name}>"'
                )
            _html_close(out, stack, tag, start, attrs)
            i = end + 1
            continue
        j = i + 1
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise _bad(f"can't parse entities: Unclosed start tag at byte offset {begin}")
        name = text[i + 1 : j].lower()
        if name not in _HTML_TAGS:
            raise _bad(
                f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {begin}'
            )
        attrs, i = _html_attributes(text, j, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _bad('can\'t parse entities: Tag "span" must have class "tg-spoiler"')
        stack.append((name, out.pos, attrs))
    if stack:
        raise _bad(
            "can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1][0]}"'
        )
    return out.text(), out.entities


def _html_close(
    out: _Builder,
    stack: list[tuple[str, int, dict[str, str]]],
    tag: str,
    start: int,
    attrs: dict[str, str],
) -> None:
    kind = _HTML_TAGS[tag]
    if kind == "text_link":
        if attrs.get("href"):
            out.entity("text_link", start, url=attrs["href"])
    elif kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id", ""))
    elif kind == "blockquote":
        out.entity("expandable_blockquote" if "expandable" in attrs else "blockquote", start)
    elif kind == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            pre_tag, pre_start, pre_attrs = stack[-1]
            stack[-1] = (pre_tag, pre_start, {**pre_attrs, "language": language[9:]})
    elif kind == "pre":
        extra = {"language": attrs["language"]} if attrs.get("language") else {}
        out.entity("pre", start, **extra)
    else:
        out.entity(kind, start)


_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str) -> tuple[str, list[JSON]]:
    out = _Builder()
    stack: list[tuple[str, int, int]] = []  # kind, start (u16), begin byte offset
    i, n = 0, len(text)
    quote_start: int | None = None
    languages: dict[int, str] = {}
    while i < n:
        char = text[i]
        inside_code = bool(stack) and stack[-1][0] in ("code", "pre")
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) < 127:
            out.add(text[i + 1])
            i += 2
            continue
        if inside_code:
            kind = stack[-1][0]
            closer = "```" if kind == "pre" else "`"
            if text.startswith(closer, i):
                language = languages.pop(len(stack), "")
                _, start, _ = stack.pop()
                out.entity(kind, start, **({"language": language} if language else {}))
                i += len(closer)
            else:
                out.add(char)
                i += 1
            continue
        if char == ">" and (i == 0 or text[i - 1] == "\n"):
            if quote_start is None:
                quote_start = out.pos
            i += 1
            continue
        if char == "\n" and quote_start is not None and not text.startswith(">", i + 1):
            out.entity("blockquote", quote_start)
            quote_start = None
        if char not in _MDV2_RESERVED:
            out.add(char)
            i += 1
            continue
        begin = _byte_offset(text, i)
        top = stack[-1][0] if stack else None
        # closing an entity?
        if top == "underline" and text.startswith("__", i):
            out.entity("underline", stack.pop()[1])
            i += 2
            continue
        closing = {"bold": "*", "italic": "_", "strikethrough": "~", "spoiler": "||"}
        if top in closing and text.startswith(closing[top], i):
            out.entity(top, stack.pop()[1])
            i += len(closing[top])
            continue
        if top in ("text_link", "custom_emoji") and char == "]":
            kind, start, _ = stack.pop()
            i += 1
            if text[i : i + 1] != "(":
                continue  # no URL: plain text
            end = i + 1
            url_chars: list[str] = []
            while end < n and text[end] != ")":
                if text[end] == "\\" and end + 1 < n:
                    end += 1
                url_chars.append(text[end])
                end += 1
            if end >= n:
                raise _bad(f"can't parse entities: Can't find end of a url at byte offset {begin}")
            url = "".join(url_chars)
            if kind == "custom_emoji":
                out.entity(kind, start, custom_emoji_id=url.rpartition("id=")[2])
            else:
                out.entity(kind, start, url=url)
            i = end + 1
            continue
        # opening an entity?
        if text.startswith("__", i):
            stack.append(("underline", out.pos, begin))
            i += 2
        elif char in "*_~":
            kind = {"*": "bold", "_": "italic", "~": "strikethrough"}[char]
            stack.append((kind, out.pos, begin))
            i += 1
        elif text.startswith("||", i):
            stack.append(("spoiler", out.pos, begin))
            i += 2
        elif text.startswith("```", i):
            end_of_line = text.find("\n", i + 3)
            language = text[i + 3 : end_of_line] if end_of_line != -1 else "-"
            stack.append(("pre", out.pos, begin))
            i += 3
            if re.fullmatch(r"[A-Za-z0-9_+#-]*", language):
                languages[len(stack)] = language
                i = end_of_line + 1
        elif char == "`":
            stack.append(("code", out.pos, begin))
            i += 1
        elif char == "[":
            stack.append(("text_link", out.pos, begin))
            i += 1
        elif text.startswith("![", i):
            stack.append(("custom_emoji", out.pos, begin))
            i += 2
        else:
            raise _bad(
                f"can't parse entities: Character '{char}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    if stack:
        kind, _, begin = stack[-1]
        raise _bad(
            f"can't parse entities: Can't find end of {_MDV2_NAMES[kind]} entity "
            f"at byte offset {begin}"
        )
    return out.text(), out.entities


def parse_markdown(text: str) -> tuple[str, list[JSON]]:
    """Legacy ``Markdown``: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = _Builder()
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        begin = _byte_offset(text, i)
        error = _bad(
            f"can't parse entities: Can't find end of the entity starting at byte offset {begin}"
        )
        start = out.pos
        if char == "[":
            close = text.find("]", i + 1)
            if close == -1 or text[close + 1 : close + 2] != "(":
                out.add(char)
                i += 1
                continue
            end = text.find(")", close + 2)
            if end == -1:
                raise error
            out.add(text[i + 1 : close])
            out.entity("text_link", start, url=text[close + 2 : end])
            i = end + 1
            continue
        marker = "```" if text.startswith("```", i) else char
        end = text.find(marker, i + len(marker))
        if end == -1:
            raise error
        inner = text[i + len(marker) : end]
        language = None
        if marker == "```" and "\n" in inner:
            first, _, rest = inner.partition("\n")
            if first and " " not in first:
                language, inner = first, rest
        out.add(inner)
        kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[marker]
        out.entity(kind, start, **({"language": language} if language else {}))
        i = end + len(marker)
    return out.text(), out.entities


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram drops leading and trailing whitespace of message texts and captions."""
    stripped = text.lstrip(" \t\r\n")
    cut = _u16(text) - _u16(stripped)
    stripped = stripped.rstrip(" \t\r\n")
    size = _u16(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - cut, 0)
        end = min(entity["offset"] + entity["length"] - cut, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, kept


def format_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSON]]:
    """Text and entities of a message as Telegram stores them."""
    if parse_mode:
        mode = parse_mode.lower()
        parsers = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}
        if mode not in parsers:
            raise _bad("unsupported parse_mode")  # approx.
        text, found = parsers[mode](text)
    else:
        found = [dict(e) for e in entities] if isinstance(entities, list) else []
    return _trim(text, found)


# --------------------------------------------------------------------------------------------
# The fake


class FakeTelegram:
    """Thread-safe in-memory Bot API state: chats, messages, files, updates and every call.

    ``spec`` says what an unknown method, an unknown parameter or a parameter of the wrong
    type does: ``"refuse"`` (tests: answered 400/404 and kept in :attr:`spec_problems`, so
    the bot's own call fails) or ``"log"`` (practice mode: a warning, and the call is answered as
    Telegram would, which ignores unknown parameters).

    ``strict`` (default) refuses to talk to chats the bot could not know: a private chat must
    have written to the bot first (or been added with :meth:`add_chat`), a group must have been
    seen; unknown ``file_id``s and callback query ids are refused too, like Telegram does.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        strict: bool = True,
        clock: Callable[[], float] | None = None,
        spec: str = "refuse",
        reencode_photos: bool = True,
        keep_calls: bool = True,
    ) -> None:
        if spec not in ("refuse", "log"):
            raise ValueError(f"spec is 'refuse' or 'log', not {spec!r}")
        self.token = token
        self.strict = strict
        self.spec = spec
        # The benchmarks turn these off: re-encoding every uploaded photo as Telegram does, and
        # keeping every call with its uploads, would cost the machine that runs the bot measured.
        self.reencode_photos = reencode_photos
        self.keep_calls = keep_calls
        self.spec_problems: list[str] = []  # unknown methods, fields and mistyped values
        # Practice mode's console is served on http://127.0.0.1: a Mini App address this
        # stand-in accepts besides https:// ones (Telegram itself accepts https:// only).
        self.local_web_apps: tuple[str, ...] = ()
        self.clock: Callable[[], float] = clock or time.time
        self.bot_user: JSON = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }
        self.calls: list[RecordedCall] = []
        self.downloads: list[str] = []
        self.blocked_chat_ids: set[int] = set()
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._failures: dict[str, list[_InjectedFailure]] = {}
        self._faults: list[_PlannedFault] = []
        self.faults_fired: list[tuple[str, str]] = []  # (kind, method) of each injected fault
        self._chats: dict[int, JSON] = {}
        self._private_ok: set[int] = set()
        self._users: dict[int, JSON] = {}
        self._members: dict[tuple[int, int], JSON] = {}
        self._join_requests: set[tuple[int, int]] = set()
        self._messages: dict[int, dict[int, JSON]] = {}
        self._next_message_id: dict[int, int] = {}
        self._sent: list[tuple[int, int]] = []
        self._pinned: dict[int, list[int]] = {}
        self._callback_ids: set[str] = set()
        self._files: dict[str, _StoredFile] = {}
        self._by_unique: dict[str, str] = {}
        self._by_path: dict[str, str] = {}
        self._photo_groups: dict[str, list[JSON]] = {}
        self._invite_links: dict[str, JSON] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}  # (field, language code) -> text
        self._webhook: JSON = {"url": ""}
        self._updates: list[JSON] = []
        # The offset of the latest getUpdates, and whether confirming by it is held back.
        self._poll_offset = 0
        self._holding_confirmations = False
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._counter = 0
        self._salt = uuid.uuid4().hex

    # ---- public helpers ---------------------------------------------------------------------

    def add_chat(self, chat: JSON) -> JSON:
        """Make a chat known (for a private chat: as if the user had started the bot)."""
        with self._lock:
            stored = self._remember_chat(chat)
            if chat.get("type") == "private":
                self._private_ok.add(chat["id"])
            return copy.deepcopy(stored)

    def add_user(self, user: JSON) -> None:
        """Make a user known, e.g. for ``getChatMember``; does not open a private chat."""
        with self._lock:
            self._users[user["id"]] = copy.deepcopy(user)

    def set_chat_member(
        self, chat_id: int, user: JSON | int, status: str = "member", **fields: Any
    ) -> JSON:
        """Set what ``getChatMember`` answers; missing required fields are 0/False."""
        with self._lock:
            user_dict = self._user_dict(user)
            member = self._member_dict(status, user_dict, **fields)
            self._members[(chat_id, user_dict["id"])] = member
            return copy.deepcopy(member)

    def add_file(
        self,
        data: bytes | Path,
        *,
        file_unique_id: str | None = None,
        kind: str = "document",
        file_id: str | None = None,
    ) -> tuple[str, str]:
        """Store file bytes (or a path read only when downloaded); returns ``(file_id,
        file_unique_id)``."""
        with self._lock:
            if isinstance(data, Path):
                stored = self._store_file(
                    kind, file_id=file_id, unique_id=file_unique_id, size=data.stat().st_size
                )
                stored.path = data
            else:
                stored = self._store_file(
                    kind, data=data, file_id=file_id, unique_id=file_unique_id
                )
            return stored.file_id, stored.file_unique_id

    def add_photo(self, sizes: list[JSON], data: list[bytes | None] | None = None) -> None:
        """Make the PhotoSizes of one photo known, optionally with each size's bytes."""
        with self._lock:
            self._register_photo(sizes, data)

    def file_bytes(self, file_path: str) -> bytes:
        """Bytes served at ``/file/bot<token>/<file_path>`` (KeyError if none)."""
        with self._lock:
            stored = self._files[self._by_path[file_path]]
            data, path = stored.data, stored.path
        if data is None and path is not None:
            return path.read_bytes()
        if data is None:
            raise KeyError(file_path)
        return data

    def file_bytes_by_id(self, file_id: str) -> bytes | None:
        with self._lock:
            stored = self._files.get(file_id)
            return stored.data if stored else None

    def fail_next(
        self,
        method: str,
        status: int = 400,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        name = spec_method_name(method)
        if name is None:
            raise ValueError(f"{method} is not a Bot API method")
        if description is None:
            description = {
                400: "Bad Request",
                403: "Forbidden: bot was blocked by the user",
                409: _CONFLICT_OTHER_POLL,
                429: f"Too Many Requests: retry after {retry_after or 1}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, "Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._failures.setdefault(name, []).append(
                _InjectedFailure(status, description, retry_after, times)
            )

    def inject_fault(
        self, kind: str, *, method: str | None = None, call: int = 1, chat_id: int | None = None
    ) -> None:
        """Make the ``call``-th Bot API call from now (of ``method``, or of any method but
        getUpdates) fail with ``kind``, one of :data:`FAULT_KINDS`.

        ``"500"`` and ``"429"`` are Telegram's answers; ``"timeout"``, ``"drop"`` and
        ``"lost_answer"`` raise :class:`TransportFault` from :meth:`handle`, which
        :class:`FakeRequest` turns into PTB's ``TimedOut`` / ``NetworkError`` and the HTTP
        server into a silent or cut connection. With ``chat_id``, only calls to that chat count.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULT_KINDS}")
        name = None
        if method is not None:
            name = spec_method_name(method)
            if name is None:
                raise ValueError(f"{method} is not a Bot API method")
        if call < 1:
            raise ValueError("call counts from 1")
        with self._lock:
            self._faults.append(_PlannedFault(kind, name, call, chat_id))

    def clear_faults(self) -> None:
        """Forget every planned fault that has not fired yet."""
        with self._lock:
            self._faults.clear()
            self._failures.clear()

    def api_calls(self, since: int = 0) -> list[RecordedCall]:
        """Calls recorded since ``mark()`` returned ``since``, getUpdates left out."""
        with self._lock:
            return [c for c in self.calls[since:] if c.method != "getUpdates"]

    def _planned_fault(self, name: str, params: Mapping[str, Any]) -> str | None:
        """The kind of fault this call gets, if one is due (counts the call either way)."""
        due = None
        for fault in list(self._faults):
            if fault.method is None and name == "getUpdates":
                continue
            if fault.method is not None and fault.method != name:
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            fault.seen += 1
            if fault.seen == fault.call and due is None:
                self._faults.remove(fault)
                due = fault.kind
        if due is not None:
            self.faults_fired.append((due, name))
        return due

    def push_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates (``update_id`` assigned if missing); returns it."""
        with self._cond:
            update = copy.deepcopy(update)
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
            problems = check_value("Update", update, "update")
            if problems:
                raise ValueError("not a valid Update: " + "; ".join(problems))
            self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
            self.observe(update)
            self._updates.append(update)
            self._notify()
            return copy.deepcopy(update)

    def observe(self, update: JSON) -> None:
        """Learn chats, users, messages, files and callback ids from an update (idempotent)."""
        with self._lock:
            for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
                if key in update:
                    self._observe_message(update[key])
            query = update.get("callback_query")
            if query:
                self._users.setdefault(query["from"]["id"], copy.deepcopy(query["from"]))
                self._callback_ids.add(query["id"])
                message = query.get("message")
                if message and message.get("date"):
                    self._remember_chat(message["chat"])
            join = update.get("chat_join_request")
            if join:
                self._remember_chat(join["chat"])
                self._users.setdefault(join["from"]["id"], copy.deepcopy(join["from"]))
                self._join_requests.add((join["chat"]["id"], join["from"]["id"]))
                self._private_ok.add(join["user_chat_id"])
                self._remember_chat(
                    {"id": join["user_chat_id"], "type": "private", **_name_fields(join["from"])}
                )
            member_update = update.get("my_chat_member") or update.get("chat_member")
            if member_update:
                self._remember_chat(member_update["chat"])
                new = member_update["new_chat_member"]
                self._members[(member_update["chat"]["id"], new["user"]["id"])] = copy.deepcopy(new)

    def continue_from(self, earlier: FakeTelegram) -> None:
        """Go on numbering each chat's messages after ``earlier`` (the same Telegram, restarted
        against a new fake): Telegram never gives a chat's message id twice."""
        with self._lock, earlier._lock:
            for chat_id, next_id in earlier._next_message_id.items():
                mine = self._next_message_id.get(chat_id, 1)
                self._next_message_id[chat_id] = max(mine, next_id)

    def allocate_message_id(self, chat_id: int) -> int:
        """Next message id in a chat (shared by incoming and outgoing messages, as in Telegram)."""
        with self._lock:
            message_id = self._next_message_id.get(chat_id, 1)
            self._next_message_id[chat_id] = message_id + 1
            return message_id

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """The current state of a stored message."""
        with self._lock:
            found = self._messages.get(chat_id, {}).get(message_id)
            return copy.deepcopy(found) if found else None

    def sent_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Messages the bot sent (current state, deleted ones excluded), oldest first."""
        with self._lock:
            found = [
                self._messages.get(cid, {}).get(mid)
                for cid, mid in self._sent
                if chat_id is None or cid == chat_id
            ]
            return [copy.deepcopy(m) for m in found if m is not None]

    def last_sent_message(self, chat_id: int | None = None) -> JSON | None:
        sent = self.sent_messages(chat_id)
        return sent[-1] if sent else None

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts (or captions) of the messages the bot sent, oldest first, as shown to users."""
        texts = []
        for message in self.sent_messages(chat_id):
            text = message.get("text", message.get("caption"))
            if text is not None:
                texts.append(text)
        return texts

    def calls_of(self, method: str) -> list[RecordedCall]:
        name = spec_method_name(method) or method
        with self._lock:
            return [c for c in self.calls if c.method == name]

    def chat_history(self, chat_id: int) -> list[JSON]:
        """Every message of a chat still there (people's and the bot's), oldest first."""
        with self._lock:
            stored = self._messages.get(chat_id, {})
            return [copy.deepcopy(stored[key]) for key in sorted(stored)]

    def reply_keyboard(self, chat_id: int) -> JSON | None:
        """The reply keyboard a person sees under the text box (None when there is none)."""
        with self._lock:
            for call in reversed(self.calls):
                if not call.ok or call.params.get("chat_id") != chat_id:
                    continue
                if not call.method.startswith(("send", "copy")):
                    continue
                markup = call.params.get("reply_markup")
                if isinstance(markup, dict) and "keyboard" in markup:
                    return copy.deepcopy(markup)
                if isinstance(markup, dict) and markup.get("remove_keyboard"):
                    return None
            return None

    def menu_button(self, chat_id: int) -> JSON | None:
        """The menu button the bot set for a private chat (None: Telegram's default)."""
        with self._lock:
            for call in reversed(self.calls):
                mine = call.params.get("chat_id") in (chat_id, None)
                if call.ok and call.method == "setChatMenuButton" and mine:
                    return copy.deepcopy(call.params.get("menu_button"))
            return None

    def last_reply_markup(self, chat_id: int) -> JSON | None:
        """``reply_markup`` of the latest successful send/edit to ``chat_id`` (None if it had none).

        Unlike the stored message this also shows reply keyboards, which Telegram never echoes.
        """
        with self._lock:
            for call in reversed(self.calls):
                if not call.ok or call.params.get("chat_id") != chat_id:
                    continue
                if call.method.startswith(("send", "edit", "copy")):
                    return copy.deepcopy(call.params.get("reply_markup"))
            return None

    def hold_confirmations(self) -> None:
        """Stand in for a bot stopped before its next getUpdates confirmed what it fetched:
        from now on offsets are not applied (the polling bot still gets only newer updates),
        so a bot started afresh is given the unconfirmed ones again, as Telegram would."""
        with self._lock:
            self._holding_confirmations = True

    def release_confirmations(self) -> None:
        """Apply offsets again (from the next getUpdates on)."""
        with self._lock:
            self._holding_confirmations = False

    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return len(self._updates)

    def mark(self) -> int:
        """Current number of recorded calls, for ``wait_for(..., since=mark)``."""
        with self._lock:
            return len(self.calls)

    def wait_for(
        self,
        method_or_predicate: str | Callable[[RecordedCall], bool],
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> RecordedCall:
        """Block until a call matching (recorded at index >= ``since``) exists; return it."""
        match = self._matcher(method_or_predicate, predicate)
        deadline = time.monotonic() + timeout
        with self._cond:
            index = since
            while True:
                while index < len(self.calls):
                    call = self.calls[index]
                    index += 1
                    if match(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(method_or_predicate, since, timeout))
                self._cond.wait(remaining)

    async def wait_for_async(
        self,
        method_or_predicate: str | Callable[[RecordedCall], bool],
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        timeout: float = 10.0,
        since: int = 0,
    ) -> RecordedCall:
        """:meth:`wait_for` for code running in the same event loop as the bot."""
        match = self._matcher(method_or_predicate, predicate)
        deadline = time.monotonic() + timeout
        index = since
        async with self._async_waiter() as event:
            while True:
                event.clear()
                with self._lock:
                    calls = self.calls[index:]
                index += len(calls)
                for call in calls:
                    if match(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_message(method_or_predicate, since, timeout))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)

    def wake_all(self) -> None:
        """Wake every thread waiting on this fake (used when a server stops)."""
        with self._cond:
            self._notify()

    # ---- the API entry points -----------------------------------------------------------------

    def handle(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
    ) -> tuple[int, JSON]:
        """Answer one Bot API call: ``(http_status, json_body)``. Never blocks."""
        return self._handle(method, params, files or {})

    def handle_blocking(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
        *,
        cancel: threading.Event | None = None,
    ) -> tuple[int, JSON]:
        """Like :meth:`handle`, but getUpdates waits up to its ``timeout`` for an update."""
        poll = self._begin_long_poll(method, params)
        if poll is None:
            return self._handle(method, params, files or {})
        generation, deadline = poll
        with self._cond:
            while True:
                if self._poll_generation != generation:
                    return self._handle(method, params, {}, forced=(409, _CONFLICT_OTHER_POLL))
                if self._deliverable() or (cancel is not None and cancel.is_set()):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
        return self._handle(method, params, files or {})

    async def handle_async(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
    ) -> tuple[int, JSON]:
        """Like :meth:`handle_blocking`, but waits without blocking the event loop."""
        poll = self._begin_long_poll(method, params)
        if poll is None:
            return self._handle(method, params, files or {})
        generation, deadline = poll
        async with self._async_waiter() as event:
            while True:
                event.clear()
                with self._lock:
                    if self._poll_generation != generation:
                        return self._handle(method, params, {}, forced=(409, _CONFLICT_OTHER_POLL))
                    if self._deliverable():
                        break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        return self._handle(method, params, files or {})

    # ---- internals: dispatch ------------------------------------------------------------------

    def _begin_long_poll(self, method: str, params: Mapping[str, Any]) -> tuple[int, float] | None:
        if spec_method_name(method) != "getUpdates":
            return None
        try:
            decoded = decode_params("getUpdates", params)
            timeout = float(decoded.get("timeout") or 0)
            offset = decoded.get("offset")
        except (ApiError, TypeError, ValueError):
            return None
        with self._cond:
            if timeout <= 0 or self._webhook["url"] or self._failures.get("getUpdates"):
                return None
            self._poll_generation += 1
            self._notify()
            self._confirm(offset if isinstance(offset, int) else 0)
            self._set_allowed_updates(decoded.get("allowed_updates"))
            return self._poll_generation, time.monotonic() + timeout

    def _handle(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile],
        forced: tuple[int, str] | None = None,
    ) -> tuple[int, JSON]:
        with self._cond:
            name = spec_method_name(method)
            recorded_params: dict[str, Any] = dict(params)
            fault = self._planned_fault(name, params) if name is not None and not forced else None
            try:
                if name is None:
                    self._spec_problem(f"{method}: not a Bot API method")
                    raise ApiError(404, "Not Found")
                if forced:
                    raise ApiError(*forced)
                if fault == "500":
                    raise ApiError(500, "Internal Server Error")
                if fault == "429":
                    raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
                if fault in ("timeout", "drop"):
                    self.calls.append(
                        RecordedCall(name, recorded_params, 0, {"ok": False, "fault": fault})
                    )
                    self._notify()
                    raise TransportFault(fault, applied=False)
                self._raise_injected(name)
                decoded = decode_params(name, params)
                for part_name, upload in files.items():
                    if part_name in {f["name"] for f in _fields("methods", name)}:
                        decoded[part_name] = upload
                recorded_params = decoded
                for problem in parameter_problems(name, decoded):
                    if self._spec_problem(problem):
                        raise _bad(f"{problem} (the stand-in refuses what Telegram would not)")
                self._check_required(name, decoded)
                result = self._dispatch(name, decoded, dict(files))
                # The stand-in's own answers are checked where they are tested (spec="refuse");
                # practice mode and the benchmarks trust them (the check costs a third of a call).
                if self.spec == "refuse":
                    returns = load_api_spec()["methods"][name]["returns"]
                    problems = check_value(returns, result)
                    if problems:
                        raise AssertionError(f"fake {name} result breaks the spec: {problems}")
                status, body = 200, {"ok": True, "result": result}
            except ApiError as error:
                status, body = error.status, error.body()
            if self.keep_calls:
                self.calls.append(
                    RecordedCall(
                        name or method, recorded_params, status, copy.deepcopy(body), dict(files)
                    )
                )
            self._notify()
            if fault == "lost_answer":
                raise TransportFault("timeout", applied=True)
            return status, copy.deepcopy(body)

    def _spec_problem(self, problem: str) -> bool:
        """Keep (and log) a call that breaks the spec; True when it is to be refused."""
        self.spec_problems.append(problem)
        log.warning("Bot API stand-in: %s", problem)
        return self.spec == "refuse"

    def _raise_injected(self, name: str) -> None:
        queue = self._failures.get(name)
        if not queue:
            return
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
        raise ApiError(failure.status, failure.description, parameters)

    def _check_required(self, name: str, params: Mapping[str, Any]) -> None:
        special = {
            ("sendMessage", "text"): "message text is empty",
            ("sendPhoto", "photo"): "there is no photo in the request",
            ("sendDocument", "document"): "there is no document in the request",
            ("sendVoice", "voice"): "there is no voice in the request",
            ("sendSticker", "sticker"): "there is no sticker in the request",
            ("sendVideo", "video"): "there is no video in the request",
        }
        for spec_field in _fields("methods", name):
            if not spec_field["required"]:
                continue
            value = params.get(spec_field["name"])
            if value is None or value == "" or value == []:
                if spec_field["name"] == "message_id":
                    raise _bad("message identifier is not specified")
                raise _bad(
                    special.get((name, spec_field["name"]), f"{spec_field['name']} is empty")
                )

    def _dispatch(self, name: str, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        handler = getattr(self, f"_api_{name}", None)
        if handler is not None:
            return handler(params, files)
        kind = name.removeprefix("send").lower()
        if name.startswith("send") and kind in _MEDIA_KINDS:
            return self._send_media(kind, params, files)
        if load_api_spec()["methods"][name]["returns"] == ["Boolean"]:
            return True
        raise ApiError(501, f"Not Implemented: the fake Bot API does not model {name}")

    def _notify(self) -> None:
        self._cond.notify_all()
        for loop, event in list(self._async_waiters):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # loop closed
                self._async_waiters.discard((loop, event))

    def _async_waiter(self) -> _AsyncWaiter:
        return _AsyncWaiter(self)

    def _matcher(
        self,
        method_or_predicate: str | Callable[[RecordedCall], bool],
        predicate: Callable[[RecordedCall], bool] | None,
    ) -> Callable[[RecordedCall], bool]:
        if callable(method_or_predicate):
            return method_or_predicate
        name = spec_method_name(method_or_predicate) or method_or_predicate
        return lambda call: call.method == name and (predicate is None or predicate(call))

    def _timeout_message(self, what: object, since: int, timeout: float) -> str:
        with self._lock:
            recent = [f"{c.method}({c.status})" for c in self.calls[since:][-15:]]
        return f"no call matching {what!r} within {timeout}s; calls since {since}: {recent}"

    # ---- internals: state ---------------------------------------------------------------------

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _token(self, prefix: str, size: int) -> str:
        # Telegram's file ids are unique across everything, not per bot run: salt per instance.
        digest = hashlib.sha256(f"{self._salt}:{prefix}:{self._next()}".encode()).digest()
        return prefix + base64.urlsafe_b64encode(digest).decode().rstrip("=")[:size]

    def _remember_chat(self, chat: JSON) -> JSON:
        keys = ("id", "type", "title", "username", "first_name", "last_name", "is_forum")
        stored = self._chats.setdefault(chat["id"], {})
        stored.update({k: copy.deepcopy(chat[k]) for k in keys if k in chat})
        return stored

    def _user_dict(self, user: JSON | int) -> JSON:
        if isinstance(user, dict):
            self._users.setdefault(user["id"], copy.deepcopy(user))
            return copy.deepcopy(user)
        if user == BOT_ID:
            return copy.deepcopy(self.bot_user)
        known = self._users.get(user)
        return (
            copy.deepcopy(known)
            if known
            else {"id": user, "is_bot": False, "first_name": f"User {user}"}
        )

    def _member_dict(self, status: str, user: JSON, **fields: Any) -> JSON:
        type_name = {
            "creator": "ChatMemberOwner",
            "administrator": "ChatMemberAdministrator",
            "member": "ChatMemberMember",
            "restricted": "ChatMemberRestricted",
            "left": "ChatMemberLeft",
            "kicked": "ChatMemberBanned",
        }[status]
        member = {"status": status, "user": user, **fields}
        if status == "restricted":
            member.setdefault("is_member", True)
        return fill_required(type_name, member)

    def _observe_message(self, message: JSON) -> None:
        chat = message["chat"]
        self._remember_chat(chat)
        sender = message.get("from")
        if sender:
            self._users.setdefault(sender["id"], copy.deepcopy(sender))
        if chat["type"] == "private" and sender and not sender.get("is_bot"):
            self._private_ok.add(chat["id"])
        self._messages.setdefault(chat["id"], {})[message["message_id"]] = copy.deepcopy(message)
        next_id = self._next_message_id.get(chat["id"], 1)
        self._next_message_id[chat["id"]] = max(next_id, message["message_id"] + 1)
        if message.get("photo"):
            self._register_photo(message["photo"], None)
        for kind in ("document", "video", "audio", "animation", "voice", "sticker"):
            media = message.get(kind)
            if media and media["file_id"] not in self._files:
                stored = self._store_file(
                    kind,
                    file_id=media["file_id"],
                    unique_id=media["file_unique_id"],
                    size=media.get("file_size"),
                )
                stored.media = copy.deepcopy(media)

    def _store_file(
        self,
        kind: str,
        *,
        data: bytes | None = None,
        file_id: str | None = None,
        unique_id: str | None = None,
        size: int | None = None,
    ) -> _StoredFile:
        if unique_id and unique_id in self._by_unique and file_id is None:
            stored = self._files[self._by_unique[unique_id]]
            if data is not None:
                stored.data, stored.file_size = data, len(data)
            return stored
        prefix = {
            "photo": "AgACAgUAAxkBAAI",
            "sticker": "CAACAgIAAxkBAAI",
            "voice": "AwACAgUAAxkBAAI",
        }.get(kind, "BQACAgUAAxkBAAI")
        file_id = file_id or self._token(prefix, 40)
        unique_id = unique_id or self._token("AQAD", 12)
        stored = _StoredFile(
            file_id, unique_id, kind, data, file_size=len(data) if data is not None else size
        )
        self._files[file_id] = stored
        self._by_unique.setdefault(unique_id, file_id)
        return stored

    def _register_photo(self, sizes: list[JSON], data: list[bytes | None] | None) -> None:
        group = copy.deepcopy(sizes)
        for index, size in enumerate(group):
            blob = data[index] if data else None
            if size["file_id"] in self._files:
                if blob is not None:
                    self._files[size["file_id"]].data = blob
            else:
                self._store_file(
                    "photo",
                    data=blob,
                    file_id=size["file_id"],
                    unique_id=size["file_unique_id"],
                    size=size.get("file_size"),
                )
            self._photo_groups[size["file_id"]] = group

    def _set_allowed_updates(self, allowed: Any) -> None:
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]

    def _deliverable(self) -> bool:
        return any(
            self._update_allowed(u) and u["update_id"] >= self._poll_offset for u in self._updates
        )

    def _update_allowed(self, update: JSON) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _DEFAULT_EXCLUDED_UPDATES

    def _confirm(self, offset: int) -> None:
        self._poll_offset = max(offset, 0)
        if self._holding_confirmations:
            return
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    # ---- internals: chats and messages --------------------------------------------------------

    def _chat(self, chat_id: Any, *, sending: bool = False) -> JSON:
        if isinstance(chat_id, str):
            wanted = chat_id.removeprefix("@").lower()
            for named in self._chats.values():
                if (named.get("username") or "").lower() == wanted and named["type"] != "private":
                    chat_id = named["id"]
                    break
            else:
                raise _bad("chat not found")
        if not isinstance(chat_id, int):
            raise _bad("chat not found")
        if sending and chat_id in self.blocked_chat_ids:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        chat = self._chats.get(chat_id)
        if chat is None and not self.strict:
            chat = self._remember_chat(_guess_chat(chat_id))
            self._private_ok.add(chat_id)
        if chat is None:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise _bad("chat not found")
        if sending and chat["type"] == "private" and chat_id not in self._private_ok:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if sending and chat["type"] != "private":
            me = self._members.get((chat_id, BOT_ID))
            kind = "channel" if chat["type"] == "channel" else f"{chat['type']} chat"
            if me and me["status"] == "kicked":
                raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
            if me and me["status"] == "left":
                raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")
        return chat

    def _chat_brief(self, chat: JSON) -> JSON:
        return copy.deepcopy(chat)

    def _new_message(self, chat: JSON, params: Mapping[str, Any]) -> JSON:
        message: JSON = {
            "message_id": self.allocate_message_id(chat["id"]),
            "from": copy.deepcopy(self.bot_user),
            "date": int(self.clock()),
            "chat": self._chat_brief(chat),
        }
        if chat["type"] == "channel":
            del message["from"]
            message["sender_chat"] = self._chat_brief(chat)
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
        if params.get("protect_content"):
            message["has_protected_content"] = True
        self._apply_reply(message, chat, params.get("reply_parameters"))
        return message

    def _apply_reply(self, message: JSON, chat: JSON, reply: Any) -> None:
        if not isinstance(reply, dict):
            return
        target_chat = int(reply.get("chat_id") or chat["id"])
        original = self._messages.get(target_chat, {}).get(int(reply.get("message_id") or 0))
        if original is None:
            if reply.get("allow_sending_without_reply"):
                return
            raise _bad("message to be replied not found")
        quoted = copy.deepcopy(original)
        quoted.pop("reply_to_message", None)
        if target_chat == chat["id"]:
            message["reply_to_message"] = quoted
        else:
            message["external_reply"] = {
                "origin": self._origin(quoted),
                "chat": quoted["chat"],
                "message_id": quoted["message_id"],
            }

    def _store_sent(self, message: JSON) -> JSON:
        chat_id = message["chat"]["id"]
        self._messages.setdefault(chat_id, {})[message["message_id"]] = copy.deepcopy(message)
        self._sent.append((chat_id, message["message_id"]))
        return message

    def _markup(self, value: Any, *, inline_only: bool = False) -> JSON | None:
        """Validate reply_markup; return the part Telegram stores on the message (inline only)."""
        if value is None:
            return None
        if not isinstance(value, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in value:
            rows = value["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
                )
            count = 0
            for row in rows:
                for button in row:
                    count += 1
                    _check_inline_button(button, self.local_web_apps)
            if count > 100:
                raise _bad("reply markup is too long")  # approx.
            # Telegram keeps only the fields it knows (practice mode lets unknown ones through).
            known = {f["name"] for f in _fields("types", "InlineKeyboardButton")}
            kept = [[{k: v for k, v in b.items() if k in known} for b in row] for row in rows]
            return {"inline_keyboard": copy.deepcopy(kept)}
        if inline_only:
            raise _bad("inline keyboard expected")  # approx.
        if "keyboard" in value:
            rows = value["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
            for row in rows:
                for button in row:
                    text = button if isinstance(button, str) else button.get("text")
                    if not isinstance(text, str) or not text:
                        raise _bad("can't parse keyboard button: Text must be non-empty")  # approx.
            return None
        if value.get("remove_keyboard") is True or value.get("force_reply") is True:
            return None
        raise _bad("can't parse reply keyboard markup JSON object")

    def _text_fields(
        self, params: Mapping[str, Any], key: str, entities_key: str, limit: int, too_long: str
    ) -> tuple[str, list[JSON]]:
        text, entities = format_text(
            str(params.get(key, "")), params.get("parse_mode"), params.get(entities_key)
        )
        if _u16(text) > limit:
            raise _bad(too_long)
        return text, entities

    def _origin(self, message: JSON) -> JSON:
        if message.get("forward_origin"):
            return copy.deepcopy(message["forward_origin"])
        if message["chat"]["type"] == "channel":
            return {
                "type": "channel",
                "date": message["date"],
                "chat": message["chat"],
                "message_id": message["message_id"],
            }
        if message.get("sender_chat"):
            return {"type": "chat", "date": message["date"], "sender_chat": message["sender_chat"]}
        return {"type": "user", "date": message["date"], "sender_user": message["from"]}

    def _editable(self, params: Mapping[str, Any]) -> JSON | None:
        """The stored message an edit* call targets (None for inline messages)."""
        if params.get("inline_message_id"):
            return None
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise _bad("message identifier is not specified")
        chat = self._chat(params["chat_id"])
        message = self._messages.get(chat["id"], {}).get(params["message_id"])
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != BOT_ID and chat["type"] != "channel":
            raise _bad("message can't be edited")
        return message

    def _finish_edit(self, message: JSON, changes: JSON, markup: JSON | None) -> JSON:
        current = {k: message.get(k) for k in changes}
        if current == changes and message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        for key, value in changes.items():
            if value in (None, []):
                message.pop(key, None)
            else:
                message[key] = value
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(self.clock())
        return copy.deepcopy(message)

    # ---- internals: files ---------------------------------------------------------------------

    def _media_from_param(
        self, kind: str, value: Any, files: Mapping[str, UploadedFile], meta: Mapping[str, Any]
    ) -> Any:
        """The Message field for a photo/document/... given as upload, attach://, id or URL."""
        upload: UploadedFile | None = None
        if isinstance(value, UploadedFile):
            upload = value
        elif isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise ApiError(400, _WRONG_FILE)
        if upload is not None:
            if kind == "photo":
                return self._photo_from_upload(upload.data)
            stored = self._store_file(kind, data=upload.data)
            return self._media_object(kind, stored, upload.filename, upload.mime_type, meta)
        if not isinstance(value, str) or not value:
            raise _bad(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            if kind == "photo":
                return self._photo_sizes(self._store_file("photo"), 800, 600)
            stored = self._store_file(kind)
            return self._media_object(kind, stored, value.rsplit("/", 1)[-1] or None, None, meta)
        stored_file = self._files.get(value)
        if stored_file is None:
            raise ApiError(400, _WRONG_FILE)
        if stored_file.kind != kind:
            raise _bad(
                f"can't use file of type {stored_file.kind.capitalize()} as {kind.capitalize()}"
            )
        if kind == "photo":
            return copy.deepcopy(
                self._photo_groups.get(value) or self._photo_sizes(stored_file, 800, 600)
            )
        if stored_file.media is not None:
            return copy.deepcopy(stored_file.media)
        return self._media_object(kind, stored_file, None, None, meta)

    def _media_object(
        self,
        kind: str,
        stored: _StoredFile,
        filename: str | None,
        mime_type: str | None,
        meta: Mapping[str, Any],
    ) -> JSON:
        obj: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if kind == "document":
            if filename:
                obj["file_name"] = filename
            if mime_type:
                obj["mime_type"] = mime_type
        if kind == "sticker":
            obj.update(
                {
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            )
        if kind in ("voice", "audio", "video", "animation"):
            obj["duration"] = int(meta.get("duration") or 1)
        if kind in ("video", "animation"):
            obj["width"] = int(meta.get("width") or 640)
            obj["height"] = int(meta.get("height") or 360)
        if stored.file_size is not None:
            obj["file_size"] = stored.file_size
        stored.media = copy.deepcopy(obj)
        return obj

    def _photo_from_upload(self, data: bytes) -> list[JSON]:
        try:
            variants = telegram_photo_variants(data) if self.reencode_photos else _as_it_is(data)
        except ValueError as exc:
            raise _bad(str(exc)) from None
        sizes = []
        for blob, width, height in variants:
            stored = self._store_file("photo", data=blob)
            sizes.append(_photo_size(stored, width, height))
        self._register_photo(sizes, None)
        return copy.deepcopy(sizes)

    def _photo_sizes(self, largest: _StoredFile, width: int, height: int) -> list[JSON]:
        """PhotoSizes (without bytes) for a photo known only by id or URL."""
        sizes = []
        for side in PHOTO_PREVIEW_SIDES:
            if max(width, height) > side:
                sizes.append(_photo_size(self._store_file("photo"), *_scaled(width, height, side)))
        sizes.append(_photo_size(largest, *_scaled(width, height, min(1280, max(width, height)))))
        self._register_photo(sizes, None)
        return copy.deepcopy(sizes)

    def _file_path(self, stored: _StoredFile) -> str:
        if stored.file_path is None:
            folder, extension = _FILE_DIRS.get(stored.kind, ("documents", "bin"))
            stored.file_path = f"{folder}/file_{len(self._by_path)}.{extension}"
            self._by_path[stored.file_path] = stored.file_id
        return stored.file_path

    def _send_media(
        self, kind: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> JSON:
        chat = self._chat(params["chat_id"], sending=True)
        media = self._media_from_param(kind, params.get(kind), files, params)
        caption, caption_entities = self._text_fields(
            params, "caption", "caption_entities", 1024, "message caption is too long"
        )
        markup = self._markup(params.get("reply_markup"))
        message = self._new_message(chat, params)
        message[kind] = media
        if caption and kind != "sticker":
            message["caption"] = caption
            if caption_entities:
                message["caption_entities"] = caption_entities
        if params.get("has_spoiler") and kind in ("photo", "video", "animation"):
            message["has_media_spoiler"] = True
        if markup:
            message["reply_markup"] = markup
        return self._store_sent(message)

    # ---- the Bot API methods ------------------------------------------------------------------

    def _api_getMe(self, params: JSON, files: Any) -> JSON:
        known = {f["name"] for f in _fields("types", "User")}
        extra = {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        return {**copy.deepcopy(self.bot_user), **{k: v for k, v in extra.items() if k in known}}

    def _api_logOut(self, params: JSON, files: Any) -> bool:
        return True

    def _api_close(self, params: JSON, files: Any) -> bool:
        return True

    def _api_getUpdates(self, params: JSON, files: Any) -> list[JSON]:
        if self._webhook["url"]:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        self._poll_generation += 1  # any getUpdates ends a long poll still waiting elsewhere
        offset = params.get("offset")
        self._confirm(offset if isinstance(offset, int) else 0)
        limit = params.get("limit")
        limit = 100 if not isinstance(limit, int) or limit <= 0 else min(limit, 100)
        self._set_allowed_updates(params.get("allowed_updates"))
        self._updates = [u for u in self._updates if self._update_allowed(u)]
        newer = [u for u in self._updates if u["update_id"] >= self._poll_offset]
        return copy.deepcopy(newer[:limit])

    def _api_setWebhook(self, params: JSON, files: Any) -> bool:
        url = str(params["url"])
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook = {"url": url}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_deleteWebhook(self, params: JSON, files: Any) -> bool:
        self._webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getWebhookInfo(self, params: JSON, files: Any) -> JSON:
        return {
            "url": self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_sendMessage(self, params: JSON, files: Any) -> JSON:
        chat = self._chat(params["chat_id"], sending=True)
        text, entities = self._text_fields(params, "text", "entities", 4096, "message is too long")
        if not text:
            raise _bad("message text is empty")
        markup = self._markup(params.get("reply_markup"))
        message = self._new_message(chat, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        return self._store_sent(message)

    def _api_sendChatAction(self, params: JSON, files: Any) -> bool:
        self._chat(params["chat_id"], sending=True)
        return True

    def _api_sendLocation(self, params: JSON, files: Any) -> JSON:
        chat = self._chat(params["chat_id"], sending=True)
        markup = self._markup(params.get("reply_markup"))
        message = self._new_message(chat, params)
        message["location"] = {"latitude": params["latitude"], "longitude": params["longitude"]}
        if markup:
            message["reply_markup"] = markup
        return self._store_sent(message)

    def _api_sendMediaGroup(self, params: JSON, files: dict[str, UploadedFile]) -> list[JSON]:
        chat = self._chat(params["chat_id"], sending=True)
        items = params["media"]
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise _bad("MEDIA_GROUP_INVALID")  # approx.
        kinds = {item.get("type") for item in items if isinstance(item, dict)}
        if len(kinds) > 1 and not kinds <= {"photo", "video"}:
            raise _bad("MEDIA_GROUP_INVALID")  # approx.
        group_id = str(10**17 + self._next())
        messages = []
        for item in items:
            kind = item["type"]
            media = self._media_from_param(kind, item.get("media"), files, item)
            caption, caption_entities = self._text_fields(
                item, "caption", "caption_entities", 1024, "message caption is too long"
            )
            message = self._new_message(chat, params)
            message["media_group_id"] = group_id
            message[kind] = media
            if caption:
                message["caption"] = caption
                if caption_entities:
                    message["caption_entities"] = caption_entities
            messages.append(self._store_sent(message))
        return messages

    def _api_copyMessage(self, params: JSON, files: Any) -> JSON:
        source = self._chat(params["from_chat_id"])
        original = self._messages.get(source["id"], {}).get(params["message_id"])
        if original is None:
            raise _bad("message to copy not found")
        chat = self._chat(params["chat_id"], sending=True)
        markup = self._markup(params.get("reply_markup"))
        message = self._new_message(chat, params)
        content_keys = (
            "text",
            "entities",
            "location",
            "caption",
            "caption_entities",
            *_MEDIA_KINDS,
        )
        message.update({k: copy.deepcopy(original[k]) for k in content_keys if k in original})
        if "caption" in params:
            caption, caption_entities = self._text_fields(
                params, "caption", "caption_entities", 1024, "message caption is too long"
            )
            message.pop("caption_entities", None)
            if caption:
                message["caption"] = caption
                if caption_entities:
                    message["caption_entities"] = caption_entities
            else:
                message.pop("caption", None)
        if markup:
            message["reply_markup"] = markup
        self._store_sent(message)
        return {"message_id": message["message_id"]}

    def _api_forwardMessage(self, params: JSON, files: Any) -> JSON:
        source = self._chat(params["from_chat_id"])
        original = self._messages.get(source["id"], {}).get(params["message_id"])
        if original is None:
            raise _bad("message to forward not found")
        chat = self._chat(params["chat_id"], sending=True)
        message = self._new_message(chat, params)
        message["forward_origin"] = self._origin(original)
        content_keys = (
            "text",
            "entities",
            "location",
            "caption",
            "caption_entities",
            "media_group_id",
            *_MEDIA_KINDS,
        )
        message.update({k: copy.deepcopy(original[k]) for k in content_keys if k in original})
        return self._store_sent(message)

    def _api_editMessageText(self, params: JSON, files: Any) -> JSON | bool:
        text, entities = self._text_fields(params, "text", "entities", 4096, "message is too long")
        if not text:
            raise _bad("message text is empty")
        markup = self._markup(params.get("reply_markup"), inline_only=True)
        message = self._editable(params)
        if message is None:
            return True
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        return self._finish_edit(message, {"text": text, "entities": entities or None}, markup)

    def _api_editMessageCaption(self, params: JSON, files: Any) -> JSON | bool:
        caption, entities = self._text_fields(
            params, "caption", "caption_entities", 1024, "message caption is too long"
        )
        markup = self._markup(params.get("reply_markup"), inline_only=True)
        message = self._editable(params)
        if message is None:
            return True
        if not any(kind in message for kind in _MEDIA_KINDS):
            raise _bad("there is no caption in the message to edit")
        changes = {"caption": caption or None, "caption_entities": entities or None}
        return self._finish_edit(message, changes, markup)

    def _api_editMessageReplyMarkup(self, params: JSON, files: Any) -> JSON | bool:
        markup = self._markup(params.get("reply_markup"), inline_only=True)
        message = self._editable(params)
        if message is None:
            return True
        return self._finish_edit(message, {}, markup)

    def _api_deleteMessage(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        if self._messages.get(chat["id"], {}).pop(params["message_id"], None) is None:
            raise _bad("message to delete not found")
        return True

    def _api_deleteMessages(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        for message_id in params["message_ids"]:
            self._messages.get(chat["id"], {}).pop(message_id, None)
        return True

    def _api_pinChatMessage(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        if params["message_id"] not in self._messages.get(chat["id"], {}):
            raise _bad("message to pin not found")
        self._pinned.setdefault(chat["id"], []).append(params["message_id"])
        return True

    def _api_unpinChatMessage(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        pinned = self._pinned.get(chat["id"], [])
        message_id = params.get("message_id")
        if message_id is None:
            if pinned:
                pinned.pop()
        elif message_id in pinned:
            pinned.remove(message_id)
        else:
            raise _bad("message to unpin not found")  # approx.
        return True

    def _api_unpinAllChatMessages(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        self._pinned.pop(chat["id"], None)
        return True

    def _api_answerCallbackQuery(self, params: JSON, files: Any) -> bool:
        query_id = str(params["callback_query_id"])
        if self.strict and query_id not in self._callback_ids:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._callback_ids.discard(query_id)
        return True

    def _api_setMyCommands(self, params: JSON, files: Any) -> bool:
        commands = params["commands"]
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(command.get("command", "")).removeprefix("/")
            ):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")  # approx.
        stored = [
            {"command": str(c["command"]).removeprefix("/"), "description": c["description"]}
            for c in commands
        ]
        self._commands[self._commands_key(params)] = stored
        return True

    def _api_setMyDescription(self, params: JSON, files: Any) -> bool:
        return self._set_description(params, "description", 512)

    def _api_setMyShortDescription(self, params: JSON, files: Any) -> bool:
        return self._set_description(params, "short_description", 120)

    def _set_description(self, params: JSON, field: str, limit: int) -> bool:
        text = str(params.get(field) or "")
        if len(text) > limit:
            raise _bad(f"{field.upper()}_TOO_LONG")  # approx.
        self._descriptions[(field, str(params.get("language_code") or ""))] = text
        return True

    def _api_getMyDescription(self, params: JSON, files: Any) -> JSON:
        return {"description": self.description(str(params.get("language_code") or ""))}

    def _api_getMyShortDescription(self, params: JSON, files: Any) -> JSON:
        language_code = str(params.get("language_code") or "")
        return {"short_description": self.description(language_code, short=True)}

    def description(self, language_code: str = "", *, short: bool = False) -> str:
        """What "What can this bot do?" shows (short: the profile's about text), as Telegram
        would: the language's own, else the default one."""
        field = "short_description" if short else "description"
        stored = self._descriptions
        return stored.get((field, language_code)) or stored.get((field, ""), "")

    def _api_getMyCommands(self, params: JSON, files: Any) -> list[JSON]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def _api_deleteMyCommands(self, params: JSON, files: Any) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _api_getFile(self, params: JSON, files: Any) -> JSON:
        stored = self._files.get(str(params["file_id"]))
        if stored is None:
            raise _bad("invalid file_id")
        if stored.file_size is not None and stored.file_size > _MAX_DOWNLOAD:
            raise _bad("file is too big")
        result: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.file_size is not None:
            result["file_size"] = stored.file_size
        result["file_path"] = self._file_path(stored)
        return result

    def _api_getChat(self, params: JSON, files: Any) -> JSON:
        chat = self._chat(params["chat_id"])
        info = fill_required("ChatFullInfo", {**copy.deepcopy(chat), "max_reaction_count": 11})
        info["accepted_gift_types"] = fill_required("AcceptedGiftTypes", {})
        pinned = self._pinned.get(chat["id"])
        if pinned and pinned[-1] in self._messages.get(chat["id"], {}):
            info["pinned_message"] = copy.deepcopy(self._messages[chat["id"]][pinned[-1]])
        return info

    def _api_getChatMember(self, params: JSON, files: Any) -> JSON:
        chat = self._chat(params["chat_id"])
        user_id = params["user_id"]
        member = self._members.get((chat["id"], user_id))
        if member is not None:
            return copy.deepcopy(member)
        user = self._user_dict(user_id)
        if chat["type"] == "private":
            return (
                self._member_dict("member", user)
                if user_id in (chat["id"], BOT_ID)
                else (self._member_dict("left", user))
            )
        if user_id == BOT_ID:
            return self._member_dict(
                "administrator",
                user,
                can_be_edited=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_invite_users=True,
                can_restrict_members=True,
                can_pin_messages=True,
            )
        return self._member_dict("left", user)

    def _api_createChatInviteLink(self, params: JSON, files: Any) -> JSON:
        chat = self._chat(params["chat_id"])
        if chat["type"] == "private":
            raise _bad("chat not found")  # approx.
        if params.get("creates_join_request") and params.get("member_limit"):
            raise _bad(
                "member limit can't be specified for links requiring administrator approval"
            )  # approx.
        link: JSON = {
            "invite_link": "https://t.me/+" + self._token("", 16),
            "creator": copy.deepcopy(self.bot_user),
            "creates_join_request": bool(params.get("creates_join_request", False)),
            "is_primary": False,
            "is_revoked": False,
        }
        for key in ("name", "expire_date", "member_limit"):
            if params.get(key) is not None:
                link[key] = params[key]
        self._invite_links[link["invite_link"]] = {**link, "_chat": chat["id"]}
        return link

    def _api_exportChatInviteLink(self, params: JSON, files: Any) -> str:
        chat = self._chat(params["chat_id"])
        link = "https://t.me/+" + self._token("", 16)
        self._invite_links[link] = {
            "invite_link": link,
            "creator": copy.deepcopy(self.bot_user),
            "creates_join_request": False,
            "is_primary": True,
            "is_revoked": False,
            "_chat": chat["id"],
        }
        return link

    def _api_revokeChatInviteLink(self, params: JSON, files: Any) -> JSON:
        self._chat(params["chat_id"])
        link = self._invite_links.get(str(params["invite_link"]))
        if link is None:
            raise _bad("INVITE_HASH_EXPIRED")  # approx.
        link["is_revoked"] = True
        return {k: copy.deepcopy(v) for k, v in link.items() if not k.startswith("_")}

    def _api_approveChatJoinRequest(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        key = (chat["id"], params["user_id"])
        if key not in self._join_requests:
            raise _bad("HIDE_REQUESTER_MISSING")
        self._join_requests.discard(key)
        self._members[key] = self._member_dict("member", self._user_dict(params["user_id"]))
        return True

    def _api_declineChatJoinRequest(self, params: JSON, files: Any) -> bool:
        chat = self._chat(params["chat_id"])
        key = (chat["id"], params["user_id"])
        if key not in self._join_requests:
            raise _bad("HIDE_REQUESTER_MISSING")
        self._join_requests.discard(key)
        return True


class _AsyncWaiter:
    """Registers an asyncio.Event that :meth:`FakeTelegram._notify` sets from any thread."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self._telegram = telegram
        self._key: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    async def __aenter__(self) -> asyncio.Event:
        event = asyncio.Event()
        self._key = (asyncio.get_running_loop(), event)
        with self._telegram._lock:
            self._telegram._async_waiters.add(self._key)
        return event

    async def __aexit__(self, *exc: object) -> None:
        with self._telegram._lock:
            self._telegram._async_waiters.discard(cast("Any", self._key))


def _photo_size(stored: _StoredFile, width: int, height: int) -> JSON:
    size: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": width,
        "height": height,
    }
    if stored.file_size is not None:
        size["file_size"] = stored.file_size
    return size


def _scaled(width: int, height: int, side: int) -> tuple[int, int]:
    """``width`` x ``height`` scaled so that the long side is ``side``."""
    factor = side / max(width, height)
    return max(1, round(width * factor)), max(1, round(height * factor))


def telegram_photo_variants(data: bytes) -> list[tuple[bytes, int, int]]:
    """What Telegram keeps of a photo (not of a document): ``(jpeg, width, height)`` for the
    previews and the largest size (long side <= 1280 px), smallest first.

    Every variant is re-encoded as JPEG with the EXIF orientation applied and **no EXIF or
    other metadata** -- a bot never sees the camera's data of a compressed photo. Raises
    ``ValueError`` with Telegram's error code when Telegram would refuse the upload.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    with contextlib.suppress(ImportError):
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError("IMAGE_PROCESS_FAILED") from None
    width, height = rgb.size
    if width + height > 10000 or max(width, height) > 20 * min(width, height):
        raise ValueError("PHOTO_INVALID_DIMENSIONS")
    sides = [side for side in PHOTO_PREVIEW_SIDES if max(width, height) > side]
    sides.append(min(1280, max(width, height)))
    variants = []
    for side in sides:
        size = _scaled(width, height, side)
        buffer = io.BytesIO()
        resized = rgb if size == rgb.size else rgb.resize(size, Image.Resampling.LANCZOS)
        resized.save(buffer, format="JPEG", quality=87)
        variants.append((buffer.getvalue(), *size))
    return variants


def _as_it_is(data: bytes) -> list[tuple[bytes, int, int]]:
    """An uploaded photo kept as it came, one size (its header read for width and height)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError("IMAGE_PROCESS_FAILED") from None
    return [(data, width, height)]


def _name_fields(user: JSON) -> JSON:
    return {k: user[k] for k in ("first_name", "last_name", "username") if k in user}


def _guess_chat(chat_id: int) -> JSON:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    if str(chat_id).startswith("-100"):
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
    return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}


def _check_inline_button(button: Any, local_web_apps: tuple[str, ...] = ()) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
    actions = [k for k in button if k != "text"]
    if not actions:
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    if "web_app" in button:
        # Mini Apps open from https:// addresses only.
        web_app = button["web_app"]
        url = str(web_app.get("url", "")) if isinstance(web_app, dict) else ""
        if not url.startswith(("https://", *local_web_apps)):
            raise _bad("BUTTON_URL_INVALID")
    if "url" in button:
        url = str(button["url"])
        if not url.startswith(("http://", "https://", "tg://")) or len(url) < 8:
            raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


# --------------------------------------------------------------------------------------------
# PTB request class

_API_URL = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]*)/?(?:\?.*)?$")
_FILE_URL = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>[^?]+)")


def _error_bytes(status: int, description: str) -> bytes:
    return json.dumps({"ok": False, "error_code": status, "description": description}).encode()


class FakeRequest(BaseRequest):
    """A PTB ``BaseRequest`` that answers from a :class:`FakeTelegram` (no sockets).

    Decodes what PTB would put on the wire: ``request_data.json_parameters`` (strings, with
    every non-string value JSON-encoded) and the multipart parts of uploads. getUpdates with a
    ``timeout`` waits (asynchronously) for a pushed update like a long poll.
    """

    __slots__ = ("_read_timeout", "_token", "telegram")

    def __init__(
        self, telegram: FakeTelegram, *, token: str | None = None, read_timeout: float | None = 5.0
    ) -> None:
        self.telegram = telegram
        self._token = token if token is not None else telegram.token
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        file_match = _FILE_URL.search(url)
        if file_match:
            if unquote(file_match["token"]) != self._token:  # PTB percent-encodes the ':'
                return 401, _error_bytes(401, "Unauthorized")
            path = unquote(file_match["path"])
            self.telegram.downloads.append(path)
            try:
                return 200, self.telegram.file_bytes(path)
            except KeyError:
                return 404, _error_bytes(404, "Not Found")
        api_match = _API_URL.search(url)
        if api_match is None:
            return 404, _error_bytes(404, "Not Found")
        if unquote(api_match["token"]) != self._token:
            return 401, _error_bytes(401, "Unauthorized")
        params: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
        files: dict[str, UploadedFile] = {}
        if request_data is not None and request_data.contains_files:
            for part, (filename, content, mime_type) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                files[part] = UploadedFile(part, filename or part, mime_type, bytes(data))
        try:
            status, body = await self.telegram.handle_async(api_match["method"], params, files)
        except TransportFault as fault:
            # What PTB's own HTTPXRequest raises for these (httpx.TimeoutException → TimedOut,
            # other httpx.HTTPError → NetworkError).
            if fault.kind == "timeout":
                raise TimedOut from fault
            raise NetworkError(f"httpx.RemoteProtocolError: {fault}") from fault
        return status, json.dumps(body, ensure_ascii=False).encode("utf-8")


def web_app_init_data(user: JSON, token: str, *, auth_date: int | None = None) -> str:
    """``initData`` as a Telegram client hands it to a Mini App opened by ``user``: the fields
    signed with the bot token the way the Mini Apps docs describe."""
    fields = {
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
        "query_id": "AAH" + uuid.uuid4().hex[:21],
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
