"""Certifying a mission: choose it, send a start photo, later an end photo, then a note.

Each step is one transaction on the certification's row, so the participant's place survives
a restart and a step that arrives twice takes effect once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.campaign import fairness, rules
from bot.campaign.config import Campaign, Round
from bot.campaign.feed import FeedPlanner, plan_post
from bot.media.photo_check import CROP_WINDOWS
from storage import (
    camera,
    certifications,
    feed,
    lookalikes,
    missions,
    participants,
    photo_features,
    photos,
    refusals,
)
from storage.certifications import Certification, Tally
from storage.connection import Connection
from storage.database import Database
from storage.missions import Mission
from storage.photos import Photo

MAX_NOTE_LENGTH = 200


class Status(enum.Enum):
    NOT_PARTICIPANT = "not_participant"
    NO_ROUND = "no_round"
    DAILY_LIMIT = "daily_limit"
    CHOOSE_MISSION = "choose_mission"
    AWAITING_START = "awaiting_start"
    AWAITING_END = "awaiting_end"
    START_RECORDED = "start_recorded"
    TOO_SOON = "too_soon"
    END_BEFORE_START = "end_before_start"
    START_EXPIRED = "start_expired"
    ACCEPTED = "accepted"
    NOTHING_OPEN = "nothing_open"
    UNKNOWN_MISSION = "unknown_mission"
    REFUSED = "refused"  # a fairness check said no; ``Step.refusal`` says which and why


@dataclass(frozen=True)
class Progress:
    """What /me and a finished certification show."""

    tally: Tally
    round: Round | None
    volunteer: rules.VolunteerTime
    next_reward: rules.NextReward | None


@dataclass(frozen=True)
class Step:
    status: Status
    certification: Certification | None = None
    mission: Mission | None = None
    missions: list[Mission] = field(default_factory=list)
    next_round: Round | None = None
    minutes_to_wait: int = 0
    expired_day: date | None = None  # an unfinished start from an earlier day was just expired
    progress: Progress | None = None
    refusal: fairness.Refusal | None = None


@dataclass(frozen=True)
class IncomingPhoto:
    """A photo as received, before it is attached to a certification."""

    kind: str
    file_id: str
    file_unique_id: str
    mime_type: str | None
    file_size: int | None
    width: int | None
    height: int | None
    message_id: int
    message_date: datetime
    forwarded: bool = False
    # Filled in once the picture was downloaded and inspected.
    phash: int | None = None
    dhash: int | None = None
    taken_at: datetime | None = None
    thumbnail: bytes | None = None
    alignment: bytes | None = None  # bot.media.alignment.features_of
    crop_hashes: tuple[tuple[int, int], ...] = ()  # PhotoFacts.crop_hashes
    # Taken on the camera page (bot.console.camera): message_date is the server's arrival time.
    from_camera: bool = False
    location: tuple[float, float] | None = None  # (latitude, longitude), for leaders only


async def _expire_stale(
    conn: Connection,
    campaign: Campaign,
    open_cert: Certification | None,
    now: datetime,
) -> tuple[Certification | None, date | None]:
    """An unfinished start from an earlier campaign day expires; say which day it was."""
    if open_cert is None:
        return None, None
    reference = open_cert.started_at
    if reference is None:
        # No start photo yet: nothing to lose; the start photo's own day is judged on arrival.
        return open_cert, None
    if rules.start_has_expired(reference, now, campaign.timezone):
        await certifications.close_open(conn, open_cert.id, "expired")
        return None, open_cert.campaign_day
    return open_cert, None


async def _waiting_step(conn: Connection, open_cert: Certification) -> Step:
    """Where an open certification stands: waiting for its start or its end photo."""
    mission = await missions.get(conn, open_cert.mission_id)
    waiting_end = open_cert.status == "awaiting_end"
    return Step(Status.AWAITING_END if waiting_end else Status.AWAITING_START, open_cert, mission)


async def _available_missions(
    conn: Connection,
    campaign: Campaign,
    participant_id: int,
    day: date,
    current: Round,
) -> tuple[list[Mission], list[Mission]]:
    """(missions running today in this round, those still under today's per-mission limit)."""
    running = [m for m in await missions.running_on(conn, day) if m.round_name == current.name]
    still_open = []
    for mission in running:
        done = await certifications.count_for_mission_on(conn, participant_id, mission.id, day)
        if rules.may_certify_more(done, campaign.rules.max_per_mission_per_day):
            still_open.append(mission)
    return running, still_open


async def begin(db: Database, campaign: Campaign, user_id: int, now: datetime) -> Step:
    """/certify: resume the open certification, or offer today's missions."""
    day = rules.campaign_day(now, campaign.timezone)
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return Step(Status.NOT_PARTICIPANT)
        await certifications.clear_note_prompts(conn, user_id)
        open_cert, expired_day = await _expire_stale(
            conn, campaign, await certifications.open_for(conn, user_id), now
        )
        if open_cert is not None:
            return await _waiting_step(conn, open_cert)
        current = campaign.round_on(day)
        if current is None:
            return Step(
                Status.NO_ROUND, next_round=campaign.next_round_after(day), expired_day=expired_day
            )
        running, available = await _available_missions(conn, campaign, user_id, day, current)
        if not available:
            return Step(Status.DAILY_LIMIT, missions=running, expired_day=expired_day)
        if len(available) > 1:
            return Step(Status.CHOOSE_MISSION, missions=available, expired_day=expired_day)
        return await _open(conn, user_id, available[0], current, now, expired_day)


async def _open(
    conn: Connection,
    user_id: int,
    mission: Mission,
    current: Round,
    now: datetime,
    expired_day: date | None,
) -> Step:
    cert_id = await certifications.open_new(conn, user_id, mission.id, current.name, now)
    return Step(
        Status.AWAITING_START,
        await certifications.get(conn, cert_id),
        mission,
        expired_day=expired_day,
    )


async def choose(
    db: Database, campaign: Campaign, user_id: int, mission_id: int, now: datetime
) -> Step:
    """A mission button: open a certification for it (if it still runs and is under the limit)."""
    day = rules.campaign_day(now, campaign.timezone)
    async with db.transaction() as conn:
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return Step(Status.NOT_PARTICIPANT)
        open_cert, expired_day = await _expire_stale(
            conn, campaign, await certifications.open_for(conn, user_id), now
        )
        if open_cert is not None:
            return await _waiting_step(conn, open_cert)
        current = campaign.round_on(day)
        if current is None:
            return Step(Status.NO_ROUND, next_round=campaign.next_round_after(day))
        running, available = await _available_missions(conn, campaign, user_id, day, current)
        chosen = next((m for m in available if m.id == mission_id), None)
        if chosen is None:
            if any(m.id == mission_id for m in running):
                return Step(Status.DAILY_LIMIT, missions=running)
            return Step(Status.UNKNOWN_MISSION, missions=available)
        return await _open(conn, user_id, chosen, current, now, expired_day)


async def expected_photo(db: Database, campaign: Campaign, user_id: int, now: datetime) -> Step:
    """Which photo (if any) this participant's next picture would be."""
    async with db.read() as conn:
        open_cert = await certifications.open_for(conn, user_id)
        if open_cert is None:
            return Step(Status.NOTHING_OPEN)
        reference = open_cert.started_at
        if reference is None or not rules.start_has_expired(reference, now, campaign.timezone):
            return await _waiting_step(conn, open_cert)
    # A start from an earlier day is expired in a write (which looks again: it may be gone).
    async with db.transaction() as conn:
        open_cert, expired_day = await _expire_stale(
            conn, campaign, await certifications.open_for(conn, user_id), now
        )
        if open_cert is None:
            status = Status.START_EXPIRED if expired_day else Status.NOTHING_OPEN
            return Step(status, expired_day=expired_day)
        return await _waiting_step(conn, open_cert)


async def _refuse(
    conn: Connection,
    user_id: int,
    cert: Certification,
    mission: Mission | None,
    photo: IncomingPhoto,
    refusal: fairness.Refusal,
) -> Step:
    await refusals.record(
        conn,
        user_id,
        cert.id,
        refusal.check.value,
        refusal.detail or None,
        photo.file_unique_id,
        photo.message_date,
    )
    return Step(Status.REFUSED, cert, mission, refusal=refusal)


async def precheck(
    db: Database, campaign: Campaign, user_id: int, photo: IncomingPhoto
) -> Step | None:
    """The checks that need no download: forwarded, and the same Telegram file as before."""
    async with db.read() as conn:
        if await _quick_refusal(conn, campaign, user_id, photo) is None:
            return None
    # A refusal is recorded in a write, which judges again on what is committed by then.
    async with db.transaction() as conn:
        found = await _quick_refusal(conn, campaign, user_id, photo)
        if found is None:
            return None
        open_cert, refusal = found
        mission = await missions.get(conn, open_cert.mission_id)
        return await _refuse(conn, user_id, open_cert, mission, photo, refusal)


async def _quick_refusal(
    conn: Connection, campaign: Campaign, user_id: int, photo: IncomingPhoto
) -> tuple[Certification, fairness.Refusal] | None:
    open_cert = await certifications.open_for(conn, user_id)
    if open_cert is None:
        return None
    refusal = fairness.check_forwarded(photo.forwarded) or fairness.check_same_file(
        await photos.first_use_of_file(conn, photo.file_unique_id),
        user_id,
        open_cert.id,
        campaign.timezone,
    )
    return None if refusal is None else (open_cert, refusal)


async def _fairness_refusal(
    conn: Connection,
    campaign: Campaign,
    user_id: int,
    cert: Certification,
    photo: IncomingPhoto,
) -> tuple[fairness.Refusal | None, fairness.Lookalike | None]:
    """Every check, in the campaign's order, inside the transaction that records the photo;
    and, for a photo not refused, the earlier photo it looks much like (if any)."""
    tz = campaign.timezone
    refusal = fairness.check_forwarded(photo.forwarded) or fairness.check_same_file(
        await photos.first_use_of_file(conn, photo.file_unique_id), user_id, cert.id, tz
    )
    lookalike = None
    if refusal is None and photo.phash is not None and photo.dhash is not None:
        limits = campaign.fairness
        near = await photos.near_candidates(
            conn,
            fairness.neighbourhoods(photo.phash, limits.phash_max_distance),
            fairness.neighbourhoods(photo.dhash, limits.dhash_max_distance),
        )
        # A cropped copy's hashes are as far as another picture's: anyone's photo one of whose
        # crops is near it, and the sender's own recent photos whatever the hashes say,
        # are aligned with it.
        cropped, own = [], []
        if photo.alignment:
            cropped = await photo_features.near_crops(
                conn,
                fairness.neighbourhoods(photo.phash, limits.phash_max_distance),
                fairness.neighbourhoods(photo.dhash, limits.dhash_max_distance),
            )
            own = await photo_features.own_recent(conn, user_id)
        reuse = fairness.judge_reuse(
            photo_features.merged(near, cropped, own),
            photo.phash,
            photo.dhash,
            photo.thumbnail,
            user_id,
            cert.id,
            limits,
            tz,
            photo.alignment,
        )
        refusal, lookalike = reuse.refusal, reuse.lookalike
    refusal = refusal or fairness.check_taken_today(photo.taken_at, photo.message_date, tz)
    return refusal, None if refusal else lookalike


async def _flag(
    conn: Connection,
    cert_id: int,
    role: str,
    lookalike: fairness.Lookalike | None,
    photo: IncomingPhoto,
) -> None:
    if lookalike is not None:
        await lookalikes.record(
            conn,
            cert_id,
            role,
            lookalike.earlier.certification_id,
            lookalike.whose.value,
            (lookalike.phash_distance, lookalike.dhash_distance),
            lookalike.difference,
            photo.message_date,
        )


async def receive_photo(
    db: Database, campaign: Campaign, user_id: int, photo: IncomingPhoto, now: datetime
) -> Step:
    """Attach a checked photo as the start or the end photo of the open certification."""
    tz = campaign.timezone
    async with db.transaction() as conn:
        open_cert, expired_day = await _expire_stale(
            conn, campaign, await certifications.open_for(conn, user_id), photo.message_date
        )
        if open_cert is None:
            return Step(
                Status.START_EXPIRED if expired_day else Status.NOTHING_OPEN,
                expired_day=expired_day,
            )
        mission = await missions.get(conn, open_cert.mission_id)
        assert mission is not None
        refusal, lookalike = await _fairness_refusal(conn, campaign, user_id, open_cert, photo)
        if refusal is not None:
            return await _refuse(conn, user_id, open_cert, mission, photo, refusal)
        if open_cert.status == "awaiting_start":
            day = rules.campaign_day(photo.message_date, tz)
            current = campaign.round_on(day)
            if current is None or not mission.runs_on(day):
                await certifications.close_open(conn, open_cert.id, "expired")
                return Step(
                    Status.NO_ROUND, mission=mission, next_round=campaign.next_round_after(day)
                )
            done = await certifications.count_for_mission_on(conn, user_id, mission.id, day)
            if not rules.may_certify_more(done, campaign.rules.max_per_mission_per_day):
                await certifications.close_open(conn, open_cert.id, "cancelled")
                return Step(Status.DAILY_LIMIT, mission=mission)
            await certifications.record_start(
                conn, open_cert.id, day, current.name, photo.message_date
            )
            await _keep(conn, open_cert.id, "start", user_id, photo, now)
            await _flag(conn, open_cert.id, "start", lookalike, photo)
            return Step(
                Status.START_RECORDED, await certifications.get(conn, open_cert.id), mission
            )

        assert open_cert.started_at is not None
        judgement = rules.judge_end_photo(
            open_cert.started_at, photo.message_date, tz, campaign.rules.min_minutes_between_photos
        )
        if judgement.verdict is rules.EndPhotoVerdict.TOO_SOON:
            return Step(
                Status.TOO_SOON, open_cert, mission, minutes_to_wait=judgement.minutes_to_wait
            )
        if judgement.verdict is rules.EndPhotoVerdict.BEFORE_START:
            return Step(Status.END_BEFORE_START, open_cert, mission)
        if judgement.verdict is rules.EndPhotoVerdict.START_EXPIRED:
            await certifications.close_open(conn, open_cert.id, "expired")
            return Step(
                Status.START_EXPIRED, open_cert, mission, expired_day=open_cert.campaign_day
            )
        await certifications.accept(conn, open_cert.id, photo.message_date, now)
        await _keep(conn, open_cert.id, "end", user_id, photo, now)
        await _flag(conn, open_cert.id, "end", lookalike, photo)
        accepted = await certifications.get(conn, open_cert.id)
        progress = await progress_in(conn, campaign, user_id, photo.message_date)
        return Step(Status.ACCEPTED, accepted, mission, progress=progress)


async def _keep(
    conn: Connection,
    cert_id: int,
    role: str,
    user_id: int,
    photo: IncomingPhoto,
    now: datetime,
) -> None:
    await photos.add(conn, _as_photo(cert_id, role, user_id, photo), now)
    if photo.alignment:
        await photo_features.keep(conn, cert_id, role, user_id, photo.message_date, photo.alignment)
    if photo.crop_hashes:
        await photo_features.keep_crops(conn, cert_id, role, CROP_WINDOWS, photo.crop_hashes)
    if photo.from_camera:
        await camera.mark_from_camera(conn, cert_id, role, photo.location)


async def keep_preview(db: Database, cert_id: int, role: str, jpeg: bytes, now: datetime) -> None:
    """A kept photo's re-encoded preview, for the feed picture drawn when the post is sent."""
    async with db.transaction() as conn:
        await feed.keep_preview(conn, cert_id, role, jpeg, now)


def _as_photo(cert_id: int, role: str, user_id: int, photo: IncomingPhoto) -> Photo:
    return Photo(
        certification_id=cert_id,
        role=role,
        sender_id=user_id,
        kind=photo.kind,
        file_id=photo.file_id,
        file_unique_id=photo.file_unique_id,
        mime_type=photo.mime_type,
        file_size=photo.file_size,
        width=photo.width,
        height=photo.height,
        message_id=photo.message_id,
        message_date=photo.message_date,
        phash=photo.phash,
        dhash=photo.dhash,
        taken_at=photo.taken_at,
        thumbnail=photo.thumbnail,
    )


@dataclass(frozen=True)
class NoteSaved:
    certification: Certification
    # Its feed post went out before the note step ended (posted as an album and a card before
    # the feed became one picture): the note must be shown by editing that card.
    posted_before: bool


async def add_note(
    db: Database, user_id: int, note: str | None, feed_post: FeedPlanner, now: datetime
) -> NoteSaved | None:
    """The optional one-line note after an accepted certification (None: skipped); the note
    step ends, so the feed post is planned with it."""
    async with db.transaction() as conn:
        waiting = await certifications.awaiting_note(conn, user_id)
        if waiting is None:
            return None
        await certifications.set_note(conn, waiting.id, note)
        keys = await plan_post(conn, waiting.id, feed_post, now)
        saved = await certifications.get(conn, waiting.id)
        assert saved is not None
        return NoteSaved(saved, posted_before=keys is None)


async def skip_note(
    db: Database, user_id: int, certification_id: int, feed_post: FeedPlanner, now: datetime
) -> bool:
    """The "no note" button: the note step ends and the feed post is planned."""
    async with db.transaction() as conn:
        waiting = await certifications.awaiting_note(conn, user_id)
        if waiting is None or waiting.id != certification_id:
            return False
        if not await certifications.set_note(conn, waiting.id, None):
            return False
        await plan_post(conn, waiting.id, feed_post, now)
        return True


async def progress_in(
    conn: Connection, campaign: Campaign, user_id: int, now: datetime
) -> Progress:
    day = rules.campaign_day(now, campaign.timezone)
    current = campaign.round_on(day) or campaign.latest_round_before(day)
    tally = await certifications.tally(conn, user_id, day, current.name if current else None)
    return Progress(
        tally=tally,
        round=current,
        volunteer=rules.volunteer_time(tally.total, campaign.rules.minutes_per_certification),
        next_reward=rules.next_reward(tally.total, campaign.milestones),
    )


async def progress(db: Database, campaign: Campaign, user_id: int, now: datetime) -> Progress:
    async with db.read() as conn:
        return await progress_in(conn, campaign, user_id, now)
