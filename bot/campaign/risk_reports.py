"""Risk reports: a participant's short draft (category, location, photo, description), then the
leaders' steps (forward to an agency, resolve with a note, reject with a reason), and the
exports agencies load on a map (xlsx and GeoJSON)."""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.campaign import rhythm, rules
from bot.campaign.config import Campaign, RiskArea, Round
from bot.campaign.conversation import Expecting

# Re-exported: the distances were first written here (tests, bench/risk_nearby.py).
from bot.campaign.geo import bounding_box as bounding_box
from bot.campaign.geo import haversine_metres as haversine_metres
from bot.campaign.geo import inside
from bot.campaign.rhythm import Planned
from bot.media import xlsx
from storage import card_copies, outbox, participants, pending_inputs, risks
from storage.connection import Connection
from storage.database import Database
from storage.risks import RiskReport

CATEGORIES = ("light", "alley", "cctv", "vacant", "dumping", "other")
# Agencies are the campaign file's ``[risks] agencies`` and are recorded by name. Reports
# forwarded before that key existed recorded one of these codes (catalogue "risk-agency-<code>").
LEGACY_AGENCY_CODES = ("cityhall", "district", "patrol")
OPEN_STATUSES = ("submitted", "forwarded")
MAX_ADDRESS = 200
MAX_DESCRIPTION = 500
MAX_NOTE = 300


# "The same place": an open report of the same category at most this far away. A phone's
# location is good to ~5-20 m outdoors; two people standing under one light are well inside 50 m,
# two lights on one street are usually 25-40 m apart (so the reporter is asked, never assumed).
SAME_PLACE_METRES = 50.0
# What a leader is offered to merge: open reports of any category this close.
MERGE_METRES = 100.0


async def nearest_open(
    conn: Connection,
    category: str,
    latitude: float,
    longitude: float,
) -> tuple[int, float] | None:
    """The closest open report of ``category`` within ``SAME_PLACE_METRES`` and its distance:
    the index narrows to a bounding box, haversine decides."""
    metres = SAME_PLACE_METRES
    found = await risks.open_in_box(conn, category, *bounding_box(latitude, longitude, metres))
    best: tuple[int, float] | None = None
    for place in found:
        distance = haversine_metres(latitude, longitude, place.latitude, place.longitude)
        if distance <= metres and (best is None or distance < best[1]):
            best = (place.id, distance)
    return best


def address_key(text: str) -> str:
    """A typed address as compared with others: case and spacing do not count, nothing else is
    guessed (no geocoding: "Main St 12" and "Main St 12-1" are different places to the bot)."""
    return " ".join(text.split()).casefold()


# A word of Hangul syllables (a digit allowed before the last one) ending in dong, eup, myeon, ri
# or ga, then a space, a comma, a digit or the end: the area a typed address names.
_AREA = re.compile(r"([\uac00-\ud7a3]+[0-9]*[\ub3d9\uc74d\uba74\ub9ac\uac00])(?=[\s,0-9]|$)")


def area_of(address: str | None, reporter_area: str | None) -> str | None:
    """The area (dong) the group may be told: from a typed address when it names one, else the one
    reporter signed up with (never an address, never coordinates)."""
    if address:
        found = _AREA.search(address)
        if found:
            return found.group(1)
    return reporter_area


class DraftStep(enum.Enum):
    CATEGORY = "category"
    LOCATION = "location"
    SAME_PLACE = "same_place"
    PHOTO = "photo"
    DESCRIPTION = "description"
    DONE = "done"


def next_step(report: RiskReport) -> DraftStep:
    if report.category is None:
        return DraftStep.CATEGORY
    if not report.has_location:
        return DraftStep.LOCATION
    if report.nearby_id is not None:
        return DraftStep.SAME_PLACE
    if report.photo_file_id is None and not report.photo_skipped:
        return DraftStep.PHOTO
    if report.description is None:
        return DraftStep.DESCRIPTION
    return DraftStep.DONE


class InvalidAnswer(Exception):
    def __init__(self, reason: str, **args: int | str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.args_for_message = args


def _one_text(text: str, limit: int) -> str:
    value = text.strip()
    if not value:
        raise InvalidAnswer("signup-invalid-empty")
    if len(value) > limit:
        raise InvalidAnswer("signup-invalid-too-long", limit=limit)
    return value


@dataclass(frozen=True)
class Answer:
    """What a draft step received: typed text, a Telegram location or a picture."""

    text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    photo_file_id: str | None = None
    photo_kind: str | None = None


async def begin(db: Database, user_id: int, now: datetime) -> RiskReport | None:
    """/report: a new draft for an approved participant (None for anyone else)."""
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return None
        report_id = await risks.start_draft(conn, user_id, now)
        await pending_inputs.expect(conn, user_id, Expecting.RISK_DRAFT, report_id, now)
        return await risks.get(conn, report_id)


async def _open_draft(conn: Connection, user_id: int) -> RiskReport | None:
    """The draft the person is filling in; none once /cancel cleared the pending input."""
    waiting = await pending_inputs.get(conn, user_id)
    if waiting is None or waiting.kind != Expecting.RISK_DRAFT:
        return None
    report = await risks.get(conn, waiting.ref)
    if report is None or report.status != "draft" or report.reporter_id != user_id:
        return None
    return report


MAX_PLACES = 10  # places in one report (the first and nine more)


def _check_place(area: RiskArea | None, latitude: float, longitude: float) -> None:
    """A place outside the campaign's area (0,0 from a phone without a fix, another city) is
    refused: InvalidAnswer."""
    if area is not None and not inside(area, latitude, longitude):
        raise InvalidAnswer("risk-outside-area")


async def add_place(
    db: Database,
    user_id: int,
    latitude: float,
    longitude: float,
    now: datetime,
    area: RiskArea | None = None,
) -> int | None:
    """Another place found on the same patrol (after the first place is given): it becomes a
    report of its own with the same photo and description. The number of places so far, or
    None when no draft is past its first place; InvalidAnswer past ``MAX_PLACES``."""
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None or next_step(report) not in (DraftStep.PHOTO, DraftStep.DESCRIPTION):
            return None
        _check_place(area, latitude, longitude)
        if len(await risks.draft_places(conn, report.id)) + 1 >= MAX_PLACES:
            raise InvalidAnswer("risk-too-many-places", limit=MAX_PLACES)
        return 1 + await risks.add_draft_place(conn, report.id, latitude, longitude, now)


async def patrol_of(db: Database, report: RiskReport) -> list[RiskReport]:
    """The reports a submission filed: one per place."""
    async with db.transaction() as conn:
        return await risks.patrol(conn, report)


async def current_draft(db: Database, user_id: int) -> RiskReport | None:
    async with db.transaction() as conn:
        return await _open_draft(conn, user_id)


async def draft_step(db: Database, user_id: int) -> DraftStep | None:
    """The step the person's open draft is at (None without one)."""
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        return None if report is None else next_step(report)


async def choose_category(
    db: Database, user_id: int, category: str, now: datetime
) -> RiskReport | None:
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None or category not in CATEGORIES:
            return None
        if next_step(report) is DraftStep.CATEGORY:
            await risks.set_fields(conn, report.id, now, category=category)
        return await risks.get(conn, report.id)


async def skip_photo(db: Database, user_id: int, now: datetime) -> RiskReport | None:
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None:
            return None
        if next_step(report) is DraftStep.PHOTO:
            await risks.set_fields(conn, report.id, now, photo_skipped=1)
        return await risks.get(conn, report.id)


async def answer(
    db: Database, user_id: int, given: Answer, now: datetime, area: RiskArea | None = None
) -> RiskReport | None:
    """A message while the draft is open; InvalidAnswer says what this step needs instead
    (a location outside ``area`` included).

    The returned report has status 'submitted' once the description completed it."""
    async with db.transaction() as conn:
        report = await _open_draft(conn, user_id)
        if report is None:
            return None
        step = next_step(report)
        if step is DraftStep.CATEGORY:
            raise InvalidAnswer("risk-press-category")
        if step is DraftStep.SAME_PLACE:
            raise InvalidAnswer("risk-press-same-place")
        if step is DraftStep.LOCATION:
            assert report.category is not None
            nearby: int | None = None
            if given.latitude is not None and given.longitude is not None:
                _check_place(area, given.latitude, given.longitude)
                await risks.set_fields(
                    conn, report.id, now, latitude=given.latitude, longitude=given.longitude
                )
                found = await nearest_open(conn, report.category, given.latitude, given.longitude)
                nearby = None if found is None else found[0]
            elif given.text is not None:
                address = _one_text(given.text, MAX_ADDRESS)
                key = address_key(address)
                await risks.set_fields(conn, report.id, now, address=address, address_key=key)
                nearby = await risks.open_at_address(conn, report.category, key)
            else:
                raise InvalidAnswer("risk-invalid-location")
            if nearby is not None:
                await risks.set_fields(conn, report.id, now, nearby_id=nearby)
        elif step is DraftStep.PHOTO:
            if given.photo_file_id is None:
                raise InvalidAnswer("risk-invalid-photo")
            await risks.set_fields(
                conn,
                report.id,
                now,
                photo_file_id=given.photo_file_id,
                photo_kind=given.photo_kind or "photo",
            )
        elif step is DraftStep.DESCRIPTION:
            if given.text is None:
                raise InvalidAnswer("risk-invalid-description")
            description = _one_text(given.text, MAX_DESCRIPTION)
            reporter = await participants.get(conn, user_id)
            dong = area_of(report.address, reporter.neighbourhood if reporter else None)
            await risks.set_fields(conn, report.id, now, description=description, area=dong)
            extra = await risks.draft_places(conn, report.id)
            if extra:
                await risks.set_fields(conn, report.id, now, patrol_id=report.id)
                filled = await risks.get(conn, report.id)
                assert filled is not None
                for latitude, longitude in extra:
                    await risks.file_sibling(conn, filled, latitude, longitude, now)
            await risks.change_status(conn, report.id, "submitted", user_id, now)
            await pending_inputs.clear(conn, user_id)
        return await risks.get(conn, report.id)


class Outcome(enum.Enum):
    DONE = "done"
    UNKNOWN = "unknown"
    CLOSED = "closed"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    report: RiskReport | None = None


async def _open_report(conn: Connection, report_id: int | None) -> Decision:
    report = None if report_id is None else await risks.get(conn, report_id)
    if report is None or report.status == "draft":
        return Decision(Outcome.UNKNOWN)
    if report.status not in OPEN_STATUSES:
        return Decision(Outcome.CLOSED, report)
    return Decision(Outcome.DONE, report)


async def report_for_leader(db: Database, report_id: int | None) -> Decision:
    """The report a leader's button names, if still open: a read, never the writer's lock."""
    async with db.read() as conn:
        return await _open_report(conn, report_id)


def agency_at(agencies: tuple[str, ...], choice: int | None) -> str | None:
    """The agency a button's position names; None for a forged or out-of-range position."""
    if choice is None or not 0 <= choice < len(agencies):
        return None
    return agencies[choice]


# (the forwarded report, who hears it with their language) -> the messages to plan with it.
ForwardNews = Callable[[RiskReport, list[tuple[int, str | None]]], list[Planned]]


@dataclass(frozen=True)
class Changed:
    """A forward, resolve or reject: the decision, and the keys of the news planned with it."""

    decision: Decision
    deliver_now: tuple[str, ...] = ()


async def _plan(conn: Connection, messages: list[Planned], now: datetime) -> list[str]:
    """Plan the news in the change's transaction; the keys of those to private chats."""
    await rhythm.plan_in(conn, messages, now)
    return [message.key for message in messages if message.chat_id > 0]


async def forward(
    db: Database,
    report_id: int | None,
    agency: str | None,
    leader_id: int,
    now: datetime,
    news: ForwardNews | None = None,
) -> Changed:
    """Record the report as forwarded to ``agency`` (a name from the campaign file); the news to
    the reporter and the followers is planned with it (a key per agency and person, so a press
    delivered twice tells them once)."""
    async with db.transaction() as conn:
        found = await _open_report(conn, report_id)
        if found.outcome is not Outcome.DONE or not agency:
            return Changed(
                found if found.outcome is not Outcome.DONE else Decision(Outcome.UNKNOWN)
            )
        assert found.report is not None
        await risks.change_status(conn, found.report.id, "forwarded", leader_id, now, agency=agency)
        report = await risks.get(conn, found.report.id)
        assert report is not None
        keys: list[str] = []
        if news is not None:
            keys = await _plan(conn, news(report, await audience(conn, report)), now)
        return Changed(Decision(Outcome.DONE, report), tuple(keys))


async def ask_for_text(
    db: Database, report_id: int | None, kind: str, leader_id: int, now: datetime
) -> Decision:
    """Resolve or reject: the leader's next message is the note or the reason."""
    async with db.transaction() as conn:
        found = await _open_report(conn, report_id)
        if found.outcome is Outcome.DONE:
            assert found.report is not None
            await pending_inputs.expect(conn, leader_id, kind, found.report.id, now)
        return found


@dataclass(frozen=True)
class AfterPhoto:
    """The place once fixed, as sent (``file_id``, for leaders) and as the bot re-encoded it."""

    file_id: str
    taken_by: int
    jpeg: bytes
    pair: bytes  # before and after side by side (or the after photo alone, labelled)


# (the closed report, who hears it with their language, the pair's and the after photo's ids in
# risk_photos) -> the messages to plan with the change.
News = Callable[[RiskReport, list[tuple[int, str | None]], int | None, int | None], list[Planned]]


async def close(
    db: Database,
    report_id: int,
    kind: str,
    leader_id: int,
    text: str | None,
    now: datetime,
    *,
    after: AfterPhoto | None = None,
    news: News | None = None,
) -> Changed:
    """Resolve (with an optional note and after photo) or reject (with a reason); the news to
    the reporter, the followers and (resolved with a photo) the group is planned with it."""
    status = "resolved" if kind == Expecting.RISK_RESOLVE_NOTE else "rejected"
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)
        found = await _open_report(conn, report_id)
        if found.outcome is not Outcome.DONE:
            return Changed(found)
        pair_id = after_id = None
        if after is not None and status == "resolved":
            after_id = await risks.add_photo(
                conn,
                report_id,
                "after",
                after.jpeg,
                now,
                taken_by=after.taken_by,
                file_id=after.file_id,
            )
            pair_id = await risks.add_photo(
                conn, report_id, "pair", after.pair, now, taken_by=after.taken_by
            )
        await risks.change_status(conn, report_id, status, leader_id, now, note=text)
        report = await risks.get(conn, report_id)
        assert report is not None
        keys: list[str] = []
        if news is not None:
            people = await audience(conn, report)
            keys = await _plan(conn, news(report, people, pair_id, after_id), now)
        return Changed(Decision(Outcome.DONE, report), tuple(keys))


async def remember_cards(db: Database, report_id: int, sent: list[tuple[int, int]]) -> None:
    """The copies of the report's card just sent to leaders: (chat id, message id)."""
    async with db.transaction() as conn:
        for chat_id, message_id in sent:
            await card_copies.remember_risk_card(conn, report_id, chat_id, message_id)


async def remember_pictures(
    db: Database, report_id: int, sent: list[tuple[int, int, str]], now: datetime
) -> None:
    """Messages just sent that show the report's picture or place: (chat id, message id, kind);
    the reporter's /delete takes them down."""
    if not sent:
        return
    async with db.transaction() as conn:
        for chat_id, message_id, kind in sent:
            await risks.remember_picture(conn, report_id, chat_id, message_id, kind, now)


async def before_photo(db: Database, report_id: int) -> bytes | None:
    """The bot's re-encoded picture of the report's photo, if it has one."""
    async with db.read() as conn:
        stored = await risks.photo(conn, report_id, "before")
    return None if stored is None else stored.jpeg


async def keep_before_photo(db: Database, report_id: int, jpeg: bytes, now: datetime) -> None:
    """The report's photo re-encoded, so it can be shown to others without its metadata."""
    async with db.transaction() as conn:
        report = await risks.get(conn, report_id)
        if report is None or report.photo_file_id is None:
            return  # erased meanwhile
        await risks.add_photo(
            conn,
            report_id,
            "before",
            jpeg,
            now,
            taken_by=report.reporter_id,
            file_id=report.photo_file_id,
        )


async def drop_text_prompt(db: Database, leader_id: int) -> None:
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, leader_id)


# ---- one report per place ----------------------------------------------------------------------


@dataclass(frozen=True)
class Nearby:
    """The open report a draft's place matched, as the reporter is shown it (never who sent it)."""

    report: RiskReport
    metres: float | None  # None when matched by the typed address
    photo: bytes | None  # the bot's own re-encoded picture of it, if it has one


async def nearby_of(db: Database, draft: RiskReport) -> Nearby | None:
    if draft.nearby_id is None:
        return None
    async with db.transaction() as conn:
        found = await risks.get(conn, draft.nearby_id)
        if found is None:
            return None
        metres = None
        lat, lon = draft.latitude, draft.longitude
        far_lat, far_lon = found.latitude, found.longitude
        if lat is not None and lon is not None and far_lat is not None and far_lon is not None:
            metres = haversine_metres(lat, lon, far_lat, far_lon)
        stored = await risks.photo(conn, found.id, "before")
        return Nearby(found, metres, None if stored is None else stored.jpeg)


class JoinOutcome(enum.Enum):
    JOINED = "joined"
    ALREADY = "already"  # they reported or follow it already
    GONE = "gone"  # the report was closed meanwhile: the draft goes on as a new report
    NO_DRAFT = "no_draft"


@dataclass(frozen=True)
class Joined:
    outcome: JoinOutcome
    report: RiskReport | None = None  # the report joined (JOINED, ALREADY) or the draft (GONE)


def noticed_key(report_id: int, user_id: int, leader_id: int) -> str:
    return f"risk-noticed:{report_id}:{user_id}:{leader_id}"


async def same_place(
    db: Database,
    user_id: int,
    draft_id: int | None,
    now: datetime,
    tell_leaders: Callable[[RiskReport], list[outbox.Notice]],
) -> Joined:
    """ "Same place": the draft is dropped and the person follows the open report instead."""
    async with db.transaction() as conn:
        draft = await _open_draft(conn, user_id)
        if draft is None or draft.id != draft_id or draft.nearby_id is None:
            return Joined(JoinOutcome.NO_DRAFT)
        target = await risks.get(conn, draft.nearby_id)
        if target is None or target.status not in OPEN_STATUSES:
            await risks.set_fields(conn, draft.id, now, nearby_id=None)
            return Joined(JoinOutcome.GONE, await risks.get(conn, draft.id))
        await risks.delete_draft(conn, draft.id)
        await pending_inputs.clear(conn, user_id)
        if target.reporter_id == user_id or not await risks.add_follower(
            conn, target.id, user_id, now
        ):
            return Joined(JoinOutcome.ALREADY, target)
        await risks.add_noticed(conn, target.id, 1, now)
        joined = await risks.get(conn, target.id)
        assert joined is not None
        for notice in tell_leaders(joined):
            await outbox.plan_notice(conn, notice, now)
        return Joined(JoinOutcome.JOINED, joined)


async def apart(
    db: Database, user_id: int, draft_id: int | None, now: datetime
) -> RiskReport | None:
    """ "Another place": the draft goes on as a report of its own."""
    async with db.transaction() as conn:
        draft = await _open_draft(conn, user_id)
        if draft is None or draft.id != draft_id:
            return None
        await risks.set_fields(conn, draft.id, now, nearby_id=None)
        return await risks.get(conn, draft.id)


async def merge_candidates(
    db: Database, report_id: int | None
) -> list[tuple[RiskReport, float | None]]:
    """Open reports a leader may merge this one into: within ``MERGE_METRES`` (any category),
    or with the same typed address; nearest first."""
    async with db.transaction() as conn:
        found = await _open_report(conn, report_id)
        if found.outcome is not Outcome.DONE or found.report is None:
            return []
        report = found.report
        shown: list[tuple[RiskReport, float | None]] = []
        if report.latitude is not None and report.longitude is not None:
            for category in CATEGORIES:
                box = bounding_box(report.latitude, report.longitude, MERGE_METRES)
                for place in await risks.open_in_box(conn, category, *box):
                    metres = haversine_metres(
                        report.latitude, report.longitude, place.latitude, place.longitude
                    )
                    other = await risks.get(conn, place.id)
                    if place.id != report.id and metres <= MERGE_METRES and other is not None:
                        shown.append((other, metres))
        elif report.address:
            for category in CATEGORIES:
                other_id = await risks.open_at_address(conn, category, address_key(report.address))
                other = None if other_id is None else await risks.get(conn, other_id)
                if other is not None and other.id != report.id:
                    shown.append((other, None))
        shown.sort(key=lambda pair: (pair[1] or 0.0, pair[0].id))
        return shown[:8]


async def merge(
    db: Database, source_id: int | None, target_id: int | None, leader_id: int, now: datetime
) -> Decision:
    """Merge ``source`` into ``target`` (both open); the result is the target."""
    async with db.transaction() as conn:
        source = await _open_report(conn, source_id)
        target = await _open_report(conn, target_id)
        for found in (source, target):
            if found.outcome is not Outcome.DONE:
                return found
        assert source.report is not None and target.report is not None
        if source.report.id == target.report.id:
            return Decision(Outcome.UNKNOWN)
        await risks.merge(conn, source.report, target.report, leader_id, now)
        return Decision(Outcome.DONE, await risks.get(conn, target.report.id))


async def audience(conn: Connection, report: RiskReport) -> list[tuple[int, str | None]]:
    """Who hears a report's news, with their language: the reporter and every follower still
    with us (erased people have left)."""
    people = []
    for user_id in [report.reporter_id, *await risks.followers(conn, report.id)]:
        if user_id <= 0:
            continue
        person = await participants.get(conn, user_id)
        if person is not None:
            people.append((user_id, person.language))
    return people


# ---- the reporter's own list, and "is it fixed?" on a later patrol --------------------------


async def reports_of(db: Database, user_id: int) -> list[RiskReport]:
    async with db.transaction() as conn:
        return await risks.reports_of(conn, user_id)


async def _followed_open(conn: Connection, user_id: int, report_id: int | None) -> Decision:
    """An open report the person reported or follows."""
    found = await _open_report(conn, report_id)
    if found.outcome is Outcome.DONE and found.report is not None:
        report = found.report
        if report.reporter_id != user_id and user_id not in await risks.followers(conn, report.id):
            return Decision(Outcome.UNKNOWN)
    return found


async def ask_for_check(
    db: Database, user_id: int, report_id: int | None, now: datetime
) -> Decision:
    """ "Check whether it is fixed": the person's next message is a photo of the place now."""
    async with db.transaction() as conn:
        found = await _followed_open(conn, user_id, report_id)
        if found.outcome is Outcome.DONE and found.report is not None:
            await pending_inputs.expect(conn, user_id, Expecting.RISK_CHECK, found.report.id, now)
        return found


async def propose_after_photo(
    db: Database, user_id: int, report_id: int, file_id: str, jpeg: bytes, now: datetime
) -> tuple[Decision, int | None]:
    """Keep the reporter's photo of the place as a proposed after photo for the leaders."""
    async with db.transaction() as conn:
        await pending_inputs.clear(conn, user_id)
        found = await _followed_open(conn, user_id, report_id)
        if found.outcome is not Outcome.DONE:
            return found, None
        photo_id = await risks.add_photo(
            conn, report_id, "proposed", jpeg, now, taken_by=user_id, file_id=file_id
        )
        return found, photo_id


async def still_open(
    db: Database, report_id: int | None, leader_id: int, now: datetime
) -> Decision:
    """A leader says the report is still open: it leaves the weekly list for a while."""
    async with db.transaction() as conn:
        found = await _open_report(conn, report_id)
        if found.outcome is Outcome.DONE and found.report is not None:
            await risks.mark_checked(conn, found.report.id, leader_id, now)
            return Decision(Outcome.DONE, await risks.get(conn, found.report.id))
        return found


async def stored_jpeg(db: Database, photo_id: int) -> bytes | None:
    """A picture the bot re-encoded (``risk_photos``), None once erased (/delete)."""
    async with db.read() as conn:
        stored = await risks.photo_by_id(conn, photo_id)
    return None if stored is None else stored.jpeg


async def proposed_photo(db: Database, report_id: int, photo_id: int) -> risks.StoredPhoto | None:
    async with db.transaction() as conn:
        stored = await risks.photo_by_id(conn, photo_id)
    if stored is None or stored.report_id != report_id or stored.role != "proposed":
        return None
    return stored


# ---- reports left open -----------------------------------------------------------------------


def silent_key(leader_id: int, now: datetime, campaign: Campaign) -> str:
    year, week, _ = now.astimezone(campaign.timezone).isocalendar()
    return f"risk-silent:{leader_id}:{year}-W{week:02d}"


async def silent_reports(db: Database, campaign: Campaign, now: datetime) -> list[RiskReport]:
    """Forwarded reports with no news (no forward, no "still open") for ``risk_silent_days``."""
    async with db.transaction() as conn:
        return await risks.silent_forwarded(conn, now - timedelta(days=campaign.risk_silent_days))


# ---- what our patrols fixed -------------------------------------------------------------------


async def patrol_outcomes(
    db: Database, campaign: Campaign, round_: Round, through: date
) -> list[risks.Outcomes]:
    """Per category, the places reported from the round's first day through ``through`` (a
    place several people noticed counts once), how many were passed on, how many are fixed."""
    since, until = rules.round_window(round_, through, campaign.timezone)
    async with db.read() as conn:
        return await risks.outcomes(conn, since, until)


def outcome_lines(
    t: Callable[..., str], language: str, outcomes: list[risks.Outcomes], title_key: str
) -> list[str]:
    """A title and one line per category ("found 35 broken lights, 28 fixed"); nothing when
    no place was found."""
    if not outcomes:
        return []
    lines = [t(language, title_key)]
    for found in outcomes:
        lines.append(
            t(
                language,
                "risk-fixed-line",
                category=t(language, f"risk-category-{found.category}"),
                found=found.found,
                forwarded=found.forwarded,
                fixed=found.fixed,
            )
        )
    return lines


# ---- exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    """One report as the export shows it; the names are already in the reader's language."""

    report: RiskReport
    category_name: str
    status_name: str
    agency_name: str
    note: str


async def export_rows(db: Database) -> list[tuple[RiskReport, str | None]]:
    """Every submitted report with its latest note or reason."""
    async with db.transaction() as conn:
        found = await risks.submitted(conn)
        return [(report, await risks.last_note(conn, report.id)) for report in found]


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat(timespec="seconds")


# Widths in characters, in the order of the columns (id, status, category, latitude,
# longitude, address, description, agency, note, submitted, updated, noticed).
_WIDTHS = (6, 10, 14, 11, 11, 30, 40, 20, 30, 20, 20, 10)


def workbook_bytes(rows: list[ExportRow], headers: list[str], title: str = "Sheet1") -> bytes:
    """The reports as one sheet. Addresses, descriptions and notes are typed by people: the
    writer keeps every text cell text, so "=HYPERLINK(...)" is never a formula in Excel."""
    cells = (
        [
            row.report.id,
            row.status_name,
            row.category_name,
            row.report.latitude,
            row.report.longitude,
            row.report.address or "",
            row.report.description or "",
            row.agency_name,
            row.note,
            _iso(row.report.submitted_at),
            _iso(row.report.updated_at),
            row.report.noticed,
        ]
        for row in rows
    )
    return xlsx.workbook_bytes([xlsx.Sheet(title, headers, cells, _WIDTHS[: len(headers)])])


def _open311_time(moment: datetime | None, timezone: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(timezone).isoformat(timespec="seconds")


def geojson_bytes(rows: list[ExportRow], timezone: tzinfo) -> bytes:
    """A FeatureCollection whose properties follow Open311 GeoReport v2 names
    (``service_request_id``, ``service_code``, ``status`` open/closed, ``status_notes``,
    ``agency_responsible``, ``requested_datetime``, ``updated_datetime``), plus
    ``noticed_count`` (people who reported the place) and the campaign's own detail. Typed-address
    reports have no geometry (null), as GeoJSON allows."""
    features = []
    for row in rows:
        r = row.report
        geometry = None
        if r.latitude is not None and r.longitude is not None:
            geometry = {"type": "Point", "coordinates": [r.longitude, r.latitude]}
        features.append(
            {
                "type": "Feature",
                "id": r.id,
                "geometry": geometry,
                "properties": {
                    "service_request_id": str(r.id),
                    "service_code": r.category,
                    "service_name": row.category_name,
                    "status": "open" if r.status in OPEN_STATUSES else "closed",
                    "status_notes": row.note or None,
                    "agency_responsible": row.agency_name or None,
                    "requested_datetime": _open311_time(r.submitted_at, timezone),
                    "updated_datetime": _open311_time(r.updated_at, timezone),
                    "address": r.address,
                    "description": r.description,
                    "lat": r.latitude,
                    "long": r.longitude,
                    "noticed_count": r.noticed,
                    "detailed_status": r.status,
                    "detailed_status_name": row.status_name,
                    "forwarded_datetime": _open311_time(r.forwarded_at, timezone),
                    "resolved_datetime": _open311_time(r.resolved_at, timezone),
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
