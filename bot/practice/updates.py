"""Bot API updates as Telegram sends them, for handler tests and end-to-end tests.

:class:`UpdateFactory` builds JSON-ready update dicts (increasing ``update_id``, per-chat
increasing ``message_id``, unix ``date``s from a settable clock). Every update it makes is a
valid ``Update`` per the spec and parses with ``telegram.Update.de_json`` without leftovers.

Given a :class:`~bot.practice.standin.FakeTelegram`, the factory shares its clock with it,
takes message ids from it (so user and bot messages never collide) and lets it observe every
update it builds, so the fake knows the chats, messages, files and callback queries involved::

    factory = UpdateFactory(telegram)
    alice = factory.user(1001, "Jimin")
    update = factory.text(alice, "/start")
    await app.process_update(factory.to_update(update, app.bot))
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from bot.practice.standin import (
    BOT_FIRST_NAME,
    BOT_ID,
    BOT_USERNAME,
    PHOTO_PREVIEW_SIDES,
    FakeTelegram,
    fill_required,
    telegram_photo_variants,
)

if TYPE_CHECKING:
    from telegram import Bot, Update

__all__ = ["KST", "UpdateFactory"]

JSON = dict[str, Any]
KST = timezone(timedelta(hours=9), "KST")
DEFAULT_NOW = datetime(2026, 4, 1, 10, 0, tzinfo=KST)


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class UpdateFactory:
    """Builds updates; ``now`` is the clock used for every ``date``."""

    def __init__(
        self,
        telegram: FakeTelegram | None = None,
        *,
        now: datetime = DEFAULT_NOW,
        first_update_id: int = 100_000_001,
        share_clock: bool = True,
    ) -> None:
        self.telegram = telegram
        self.now = now
        self._next_update_id = first_update_id
        self._next_message_id = 1
        self._counter = 0
        if telegram is not None and share_clock:
            telegram.clock = lambda: self.now.timestamp()

    def continue_from(self, earlier: UpdateFactory) -> None:
        """Go on numbering updates after ``earlier`` (a restart talks to the same Telegram)."""
        self._next_update_id = max(self._next_update_id, earlier._next_update_id)

    # ---- clock --------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("UpdateFactory.now must be timezone-aware")
        self._now = value

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move the clock forward (``advance(minutes=5)``); returns the new ``now``."""
        self.now = self.now + (delta or timedelta()) + timedelta(**kwargs)
        return self.now

    def timestamp(self) -> int:
        return int(self.now.astimezone(UTC).timestamp())

    # ---- people and chats ---------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Tester",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ko",
        is_bot: bool = False,
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    @staticmethod
    def private_chat(user: JSON) -> JSON:
        chat: JSON = {"id": user["id"], "type": "private"}
        chat.update({k: user[k] for k in ("first_name", "last_name", "username") if k in user})
        return chat

    @staticmethod
    def group_chat(chat_id: int, title: str = "Leaders", *, chat_type: str | None = None) -> JSON:
        kind = chat_type or ("supergroup" if str(chat_id).startswith("-100") else "group")
        return {"id": chat_id, "type": kind, "title": title}

    @staticmethod
    def channel_chat(
        chat_id: int, title: str = "Campaign news", *, username: str | None = None
    ) -> JSON:
        chat: JSON = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        return chat

    # ---- messages -----------------------------------------------------------------------------

    def text(
        self, user: JSON, text: str, *, chat: JSON | None = None, reply_to: JSON | None = None
    ) -> JSON:
        """A text message (private chat by default); ``/commands`` get a bot_command entity."""
        message = self._message(user, chat, text=text)
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            quoted = copy.deepcopy(self.message_of(reply_to))
            quoted.pop("reply_to_message", None)
            message["reply_to_message"] = quoted
        return self._wrap("message", message)

    def group_text(self, user: JSON, chat_id: int, text: str, *, title: str = "Leaders") -> JSON:
        return self.text(user, text, chat=self.group_chat(chat_id, title))

    def photo(
        self,
        user: JSON,
        file_id: str,
        file_unique_id: str,
        *,
        width: int = 1280,
        height: int = 960,
        file_size: int = 180_000,
        caption: str | None = None,
        forward_from: JSON | None = None,
        chat: JSON | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        """A photo as Telegram sends it: small previews first, the given size last."""
        sizes = []
        for side in PHOTO_PREVIEW_SIDES:
            if max(width, height) <= side:
                break
            w, h = _scaled(width, height, side)
            sizes.append(
                {
                    "file_id": f"{file_id}_{side}",
                    "file_unique_id": f"{file_unique_id}{side}",
                    "width": w,
                    "height": h,
                    "file_size": max(1, file_size * side * side // (max(width, height) ** 2)),
                }
            )
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": file_unique_id,
                "width": width,
                "height": height,
                "file_size": file_size,
            }
        )
        return self._photo_update(user, sizes, caption, forward_from, chat, media_group_id)

    def photo_from_bytes(
        self,
        telegram: FakeTelegram,
        user: JSON,
        data: bytes,
        *,
        caption: str | None = None,
        forward_from: JSON | None = None,
        chat: JSON | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        """Store a picture in ``telegram`` the way Telegram keeps a photo and build the update.

        Like Telegram, the bot gets JPEG re-encodings (previews and a largest size of at most
        1280 px) with the orientation applied and **no EXIF** -- send the bytes with
        :meth:`document_from_bytes` to model a photo sent "as a file" with its metadata.
        ``getFile`` + download return these re-encoded bytes.
        """
        sizes = []
        for blob, width, height in telegram_photo_variants(data):
            file_id, unique_id = telegram.add_file(blob, kind="photo")
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(blob),
                }
            )
        telegram.add_photo(sizes)
        return self._photo_update(user, sizes, caption, forward_from, chat, media_group_id)

    def document(
        self,
        user: JSON,
        file_id: str,
        file_unique_id: str,
        *,
        file_name: str,
        mime_type: str,
        file_size: int,
        caption: str | None = None,
        chat: JSON | None = None,
    ) -> JSON:
        document = {
            "file_id": file_id,
            "file_unique_id": file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": file_size,
        }
        message = self._message(user, chat, document=document)
        if caption:
            message["caption"] = caption
        return self._wrap("message", message)

    def document_from_bytes(
        self,
        telegram: FakeTelegram,
        user: JSON,
        data: bytes,
        *,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        chat: JSON | None = None,
    ) -> JSON:
        """Store ``data`` in ``telegram`` and build the document update."""
        file_id, unique_id = telegram.add_file(data, kind="document")
        return self.document(
            user,
            file_id,
            unique_id,
            file_name=file_name,
            mime_type=mime_type,
            file_size=len(data),
            caption=caption,
            chat=chat,
        )

    def sticker(
        self,
        user: JSON,
        *,
        emoji: str = "👍",
        file_id: str | None = None,
        file_unique_id: str | None = None,
        chat: JSON | None = None,
    ) -> JSON:
        sticker = {
            "file_id": file_id or self._file_id("CAACAgIAAxkBAAI"),
            "file_unique_id": file_unique_id or self._file_id("AgAD"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": 24_000,
        }
        return self._wrap("message", self._message(user, chat, sticker=sticker))

    def voice(
        self,
        user: JSON,
        *,
        duration: int = 3,
        file_id: str | None = None,
        file_unique_id: str | None = None,
        file_size: int = 12_000,
        chat: JSON | None = None,
    ) -> JSON:
        voice = {
            "file_id": file_id or self._file_id("AwACAgUAAxkBAAI"),
            "file_unique_id": file_unique_id or self._file_id("AgAD"),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": file_size,
        }
        return self._wrap("message", self._message(user, chat, voice=voice))

    def location(
        self, user: JSON, latitude: float, longitude: float, *, chat: JSON | None = None
    ) -> JSON:
        location = {"latitude": latitude, "longitude": longitude}
        return self._wrap("message", self._message(user, chat, location=location))

    def edited_text(self, message: JSON, text: str) -> JSON:
        """``edited_message`` for a message (or update) built earlier, with new text."""
        edited = copy.deepcopy(self.message_of(message))
        edited["text"] = text
        edited.pop("entities", None)
        entities = _command_entities(text)
        if entities:
            edited["entities"] = entities
        edited["edit_date"] = self.timestamp()
        return self._wrap("edited_message", edited)

    def channel_post(
        self,
        chat_id: int,
        text: str,
        *,
        title: str = "Campaign news",
        username: str | None = None,
    ) -> JSON:
        chat = self.channel_chat(chat_id, title, username=username)
        post = {
            "message_id": self._message_id(chat_id),
            "sender_chat": chat,
            "chat": chat,
            "date": self.timestamp(),
            "text": text,
        }
        return self._wrap("channel_post", post)

    # ---- other updates ------------------------------------------------------------------------

    def callback(
        self, user: JSON, data: str, *, message: JSON, chat_instance: str | None = None
    ) -> JSON:
        """A button press on ``message`` (a sent message dict, e.g. ``call.result``).

        With a FakeTelegram attached, the message is taken in its current (edited) state.
        """
        current = copy.deepcopy(self.message_of(message))
        if self.telegram is not None:
            stored = self.telegram.message(current["chat"]["id"], current["message_id"])
            current = stored or current
        chat_id = current["chat"]["id"]
        query = {
            "id": str(4_000_000_000_000_000_000 + self._next()),
            "from": user,
            "message": current,
            "chat_instance": chat_instance or str((chat_id * 2_654_435_761) % 10**19),
            "data": data,
        }
        return self._wrap("callback_query", query)

    def join_request(
        self,
        user: JSON,
        chat_id: int,
        *,
        title: str = "Campaign group",
        invite_link: JSON | None = None,
        bio: str | None = None,
    ) -> JSON:
        """``chat_join_request``; ``invite_link`` is a createChatInviteLink result."""
        request: JSON = {
            "chat": self.group_chat(chat_id, title),
            "from": user,
            "user_chat_id": user["id"],
            "date": self.timestamp(),
        }
        if bio:
            request["bio"] = bio
        if invite_link is not None:
            request["invite_link"] = copy.deepcopy(invite_link)
        return self._wrap("chat_join_request", request)

    def my_chat_member(
        self, user: JSON, chat: JSON, *, old_status: str = "left", new_status: str = "administrator"
    ) -> JSON:
        """The bot's own membership changed (e.g. an admin added it to a group)."""
        bot = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }
        update = {
            "chat": chat,
            "from": user,
            "date": self.timestamp(),
            "old_chat_member": _member(old_status, bot),
            "new_chat_member": _member(new_status, bot),
        }
        return self._wrap("my_chat_member", update)

    # ---- parsing ------------------------------------------------------------------------------

    @staticmethod
    def to_update(update: JSON, bot: Bot | None) -> Update:
        """The PTB object for an update dict."""
        from telegram import Update

        parsed = Update.de_json(copy.deepcopy(update), bot)
        if parsed is None:
            raise ValueError("not an update")
        return parsed

    @staticmethod
    def message_of(update_or_message: JSON) -> JSON:
        """The message inside an update (or the message itself)."""
        if "message_id" in update_or_message:
            return update_or_message
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if key in update_or_message:
                return dict(update_or_message[key])
        query = update_or_message.get("callback_query")
        if query and "message" in query:
            return dict(query["message"])
        raise KeyError("no message in this update")

    # ---- internals ----------------------------------------------------------------------------

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _file_id(self, prefix: str) -> str:
        digest = hashlib.sha256(f"{prefix}{self._next()}".encode()).hexdigest()
        return prefix + digest[:24]

    def _message_id(self, chat_id: int) -> int:
        if self.telegram is not None:
            return self.telegram.allocate_message_id(chat_id)
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    def _message(self, user: JSON, chat: JSON | None, **content: Any) -> JSON:
        chat = chat or self.private_chat(user)
        return {
            "message_id": self._message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": self.timestamp(),
            **content,
        }

    def _photo_update(
        self,
        user: JSON,
        sizes: list[JSON],
        caption: str | None,
        forward_from: JSON | None,
        chat: JSON | None,
        media_group_id: str | None,
    ) -> JSON:
        message = self._message(user, chat, photo=sizes)
        if media_group_id:
            message["media_group_id"] = media_group_id
        if caption:
            message["caption"] = caption
        if forward_from is not None:
            message["forward_origin"] = self._origin(forward_from)
        return self._wrap("message", message)

    def _origin(self, source: JSON) -> JSON:
        date = self.timestamp() - 3600
        if "is_bot" in source:
            return {"type": "user", "date": date, "sender_user": source}
        if source.get("type") == "channel":
            return {"type": "channel", "date": date, "chat": source, "message_id": 1}
        return {"type": "chat", "date": date, "sender_chat": source}

    def _wrap(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        if self.telegram is not None:
            self.telegram.observe(update)
        return copy.deepcopy(update)


def _command_entities(text: str) -> list[JSON]:
    if not text.startswith("/") or len(text) < 2:
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": _u16(command)}]


def _scaled(width: int, height: int, side: int) -> tuple[int, int]:
    factor = side / max(width, height)
    return max(1, round(width * factor)), max(1, round(height * factor))


def _member(status: str, user: JSON) -> JSON:
    type_name = {
        "creator": "ChatMemberOwner",
        "administrator": "ChatMemberAdministrator",
        "member": "ChatMemberMember",
        "restricted": "ChatMemberRestricted",
        "left": "ChatMemberLeft",
        "kicked": "ChatMemberBanned",
    }[status]
    member: JSON = {"status": status, "user": dict(user)}
    if status == "restricted":
        member["is_member"] = True
    return fill_required(type_name, member)
