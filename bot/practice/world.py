"""The practice world: the Bot API stand-in's state, the people on the page, the campaign group,
and the practice campaign file -- what the page acts on and what "start over" rebuilds."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.practice.standin import BOT_ID, FakeTelegram
from bot.practice.updates import UpdateFactory

JSON = dict[str, Any]

# Not a token Telegram ever issued (the stand-in's own): well-formed, so settings accept it.
PRACTICE_TOKEN = f"{BOT_ID}:practice-mode-token-not-for-telegram"
GROUP_ID = -1001000000001
LEADER_ID = 9001
PARTICIPANT_ID = 1001
SECOND_PARTICIPANT_ID = 1002
TEMPLATE = Path(__file__).with_name("practice_campaign.toml")
# The practice campaign lets the end photo come this soon after the start photo.
PRACTICE_MIN_MINUTES = 1
# Preset spots for the location button (around Iksan station's area), by catalogue key.
SPOTS = (
    ("practice-spot-station", 35.9483, 126.9577),
    ("practice-spot-park", 35.9521, 126.9634),
    ("practice-spot-alley", 35.9446, 126.9522),
)


def write_campaign_file(
    path: Path, *, today: date | None = None, min_minutes: int = PRACTICE_MIN_MINUTES
) -> Path:
    """The practice campaign: a round that started a week ago (so it includes today)."""
    today = today or datetime.now(ZoneInfo("Asia/Seoul")).date()
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        start=(today - timedelta(days=7)).isoformat(), min_minutes=min_minutes
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Person:
    """Someone on the practice page: a Telegram user with a role the page shows."""

    user_id: int
    name: str
    role: str  # "participant" or "leader"

    def as_user(self) -> JSON:
        return {"id": self.user_id, "is_bot": False, "first_name": self.name, "language_code": "ko"}


class PracticeWorld:
    """The stand-in, an update factory on the real clock, and the people; thread-safe."""

    def __init__(self, translator: Translator, language: str = "ko") -> None:
        self.translator = translator
        self.language = language
        self.local_web_apps: tuple[str, ...] = ()
        self.lock = threading.RLock()
        self.generation = 0  # bumped by start_over: the page reloads everything
        self.telegram = self._new_telegram()
        self.factory = UpdateFactory(self.telegram, share_clock=False)
        self.people: list[Person] = []
        self.alerts: list[JSON] = []  # answers to button presses that carry a text
        self._queries: dict[str, int] = {}
        self._seed()

    def text(self, key: str, **args: Any) -> str:
        return self.translator(self.language, key, **args)

    @property
    def group(self) -> JSON:
        return {"id": GROUP_ID, "type": "supergroup", "title": self.text("practice-group-title")}

    def _new_telegram(self) -> FakeTelegram:
        # Practice mode logs what breaks the spec instead of refusing it (the tests refuse).
        telegram = FakeTelegram(token=PRACTICE_TOKEN, spec="log")
        telegram.bot_user["first_name"] = self.text("practice-bot-name")
        telegram.local_web_apps = self.local_web_apps
        return telegram

    def _seed(self) -> None:
        self.people = [
            Person(PARTICIPANT_ID, self.text("practice-person-participant"), "participant"),
            Person(SECOND_PARTICIPANT_ID, self.text("practice-person-second"), "participant"),
            Person(LEADER_ID, self.text("practice-person-leader"), "leader"),
        ]
        for person in self.people:
            self.telegram.add_user(person.as_user())
        # The group exists and the bot is its administrator (the stand-in's default answer).
        self.telegram.add_chat(self.group)
        # The leader has opened the bot's chat before (as a leader is asked to on day one).
        leader = self.person(LEADER_ID)
        self.telegram.add_chat({"id": LEADER_ID, "type": "private", "first_name": leader.name})

    def allow_web_app(self, prefix: str) -> None:
        """The local console's address counts as a Mini App address from now on."""
        with self.lock:
            self.local_web_apps = (prefix,)
            self.telegram.local_web_apps = self.local_web_apps

    def start_over(self) -> FakeTelegram:
        """A fresh stand-in (no chats, messages or files) with the same people; returns it."""
        with self.lock:
            old = self.telegram
            self.telegram = self._new_telegram()
            self.factory = UpdateFactory(self.telegram, share_clock=False)
            self.alerts = []
            self._queries = {}
            self._seed()
            self.generation += 1
            old.wake_all()
            return self.telegram

    # ---- people -------------------------------------------------------------------------------

    def person(self, user_id: int) -> Person:
        with self.lock:
            for person in self.people:
                if person.user_id == user_id:
                    return person
        raise KeyError(user_id)

    def add_person(self) -> Person:
        with self.lock:
            number = sum(1 for p in self.people if p.role == "participant") + 1
            user_id = max(p.user_id for p in self.people if p.role == "participant") + 1
            person = Person(user_id, self.text("practice-person-new", number=number), "participant")
            self.people.append(person)
            self.telegram.add_user(person.as_user())
            self.generation += 1
            return person

    # ---- what a person does -------------------------------------------------------------------

    def _now(self) -> None:
        self.factory.now = datetime.now(UTC)

    def _chat(self, in_group: bool) -> JSON | None:
        """The chat a person writes in: the group, or (None) the bot's private chat."""
        return self.group if in_group else None

    def send_text(self, person: Person, text: str, *, in_group: bool = False) -> None:
        with self.lock:
            self._now()
            update = self.factory.text(person.as_user(), text, chat=self._chat(in_group))
            self.telegram.push_update(update)

    def send_location(self, person: Person, latitude: float, longitude: float) -> None:
        with self.lock:
            self._now()
            self.telegram.push_update(self.factory.location(person.as_user(), latitude, longitude))

    def send_photo(
        self, person: Person, data: bytes, caption: str | None, *, in_group: bool = False
    ) -> None:
        """A compressed photo: the stand-in keeps Telegram's re-encodings (ValueError if Telegram
        would refuse the picture)."""
        with self.lock:
            self._now()
            update = self.factory.photo_from_bytes(
                self.telegram,
                person.as_user(),
                data,
                caption=caption or None,
                chat=self._chat(in_group),
            )
            self.telegram.push_update(update)

    def send_document(
        self,
        person: Person,
        data: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None,
        *,
        in_group: bool = False,
    ) -> None:
        with self.lock:
            self._now()
            update = self.factory.document_from_bytes(
                self.telegram,
                person.as_user(),
                data,
                file_name=file_name,
                mime_type=mime_type,
                caption=caption or None,
                chat=self._chat(in_group),
            )
            self.telegram.push_update(update)

    def press(self, person: Person, chat_id: int, message_id: int, data: str) -> bool:
        """Press an inline button of a message still there; False if there is no such button."""
        with self.lock:
            message = self.telegram.message(chat_id, message_id)
            rows = (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
            if not any(b.get("callback_data") == data for row in rows for b in row):
                return False
            self._now()
            assert message is not None
            update = self.factory.callback(person.as_user(), data, message=message)
            self._queries[update["callback_query"]["id"]] = person.user_id
            self.telegram.push_update(update)
            return True

    def ask_to_join(self, person: Person) -> None:
        with self.lock:
            self._now()
            group = self.group
            update = self.factory.join_request(person.as_user(), group["id"], title=group["title"])
            self.telegram.push_update(update)

    # ---- what the page shows ------------------------------------------------------------------

    def callback_alerts(self) -> list[JSON]:
        """Texts the bot answered button presses with, newest last (for the page's toasts)."""
        with self.lock:
            found = []
            for index, call in enumerate(self.telegram.calls_of("answerCallbackQuery")):
                person = self._queries.get(str(call.params.get("callback_query_id")))
                if call.ok and person is not None and call.params.get("text"):
                    found.append({"seq": index, "person": person, "text": call.params["text"]})
            return found[-20:]

    def state(self) -> JSON:
        with self.lock:
            telegram = self.telegram
            chats: dict[str, JSON] = {}
            for person in self.people:
                chats[str(person.user_id)] = {
                    "messages": telegram.chat_history(person.user_id),
                    "keyboard": telegram.reply_keyboard(person.user_id),
                    "menu": telegram.menu_button(person.user_id),
                }
            chats[str(GROUP_ID)] = {
                "messages": telegram.chat_history(GROUP_ID),
                "keyboard": None,
                "menu": None,
            }
            return {
                "version": self.version(),
                "bot": {
                    "id": BOT_ID,
                    "name": telegram.bot_user["first_name"],
                    "username": telegram.bot_user["username"],
                },
                "people": [{"id": p.user_id, "name": p.name, "role": p.role} for p in self.people],
                "group": self.group,
                "chats": chats,
                "spots": [
                    {"name": self.text(key), "latitude": lat, "longitude": lon}
                    for key, lat, lon in SPOTS
                ],
                "alerts": self.callback_alerts(),
            }

    def version(self) -> str:
        """Changes whenever the bot called the stand-in or the page's world changed."""
        return f"{self.generation}.{self.telegram.mark()}"
