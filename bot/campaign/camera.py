"""Camera check-in: the ticket a camera page gets when it opens (valid 5 minutes, once, for one
person's one photo step), and who may still send chat photos when the camera is required.

The page proves who (Telegram's signed initData) and when (the server's clock and this ticket),
not that a real scene was photographed: see docs/fairness.md.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.campaign import certify
from bot.campaign.certify import Status
from bot.campaign.config import Campaign
from storage import camera, certifications, missions, participants
from storage.camera import Ticket
from storage.database import Database

TICKET_LIFETIME = timedelta(minutes=5)
# Used and expired tickets are kept a day (for a look after a complaint), then dropped.
TICKET_KEEP = timedelta(days=1)


class Closed(enum.Enum):
    """Why the camera page has nothing to take."""

    NOT_PARTICIPANT = "not_participant"  # not an approved participant (a leader, a visitor)
    NOTHING_OPEN = "nothing_open"  # no certification waits for a photo
    CAMERA_OFF = "camera_off"  # the campaign does not use the camera page


@dataclass(frozen=True)
class Opened:
    """A page may take this photo: the ticket to upload it with."""

    nonce: str
    role: str  # "start" or "end"
    mission: str


class Refused(enum.Enum):
    """Why an upload's ticket does not admit it."""

    UNKNOWN = "unknown"  # no such ticket (forged, or cleaned away)
    NOT_YOURS = "not_yours"  # issued to someone else
    USED = "used"  # a replay: the ticket took a photo already
    EXPIRED = "expired"  # older than TICKET_LIFETIME
    STEP_MOVED = "step_moved"  # the certification has moved on (cancelled, photo sent in chat)


async def open_page(
    db: Database, campaign: Campaign, user_id: int, now: datetime
) -> Opened | Closed:
    """The page opened: issue a ticket for the photo the open certification waits for."""
    if campaign.fairness.camera == "off":
        return Closed.CAMERA_OFF
    async with db.read() as conn:
        person = await participants.get(conn, user_id)
    if person is None or not person.is_approved:
        return Closed.NOT_PARTICIPANT
    # Expires a start from an earlier day, as a chat photo would.
    expected = await certify.expected_photo(db, campaign, user_id, now)
    if expected.status not in (Status.AWAITING_START, Status.AWAITING_END):
        return Closed.NOTHING_OPEN
    async with db.transaction() as conn:
        await camera.forget_older_than(conn, now - TICKET_KEEP)
        open_cert = await certifications.open_for(conn, user_id)
        if open_cert is None:
            return Closed.NOTHING_OPEN
        role = "end" if open_cert.status == "awaiting_end" else "start"
        nonce = secrets.token_urlsafe(24)
        await camera.issue(conn, nonce, user_id, open_cert.id, role, now)
        mission = await missions.get(conn, open_cert.mission_id)
    return Opened(nonce, role, mission.title if mission else "")


async def use_ticket(db: Database, user_id: int, nonce: str, now: datetime) -> Ticket | Refused:
    """Spend the ticket of an upload (before its body is read): once, by its owner, in time,
    for the photo the certification still waits for."""
    async with db.transaction() as conn:
        ticket = await camera.get(conn, nonce)
        if ticket is None:
            return Refused.UNKNOWN
        if ticket.participant_id != user_id:
            return Refused.NOT_YOURS  # left unspent: a stranger cannot use up someone's ticket
        person = await participants.get(conn, user_id)
        if person is None or not person.is_approved:
            return Refused.NOT_YOURS  # paused or removed since the page opened
        if not await camera.use(conn, nonce, now):
            return Refused.USED
        if now - ticket.issued_at > TICKET_LIFETIME or now < ticket.issued_at:
            return Refused.EXPIRED
        open_cert = await certifications.open_for(conn, user_id)
        waiting = None
        if open_cert is not None and open_cert.id == ticket.certification_id:
            waiting = "end" if open_cert.status == "awaiting_end" else "start"
        if waiting != ticket.role:
            return Refused.STEP_MOVED
        return ticket


async def may_send_chat_photos(db: Database, user_id: int) -> bool:
    """Whether a leader lets this person certify with chat photos where the camera is required."""
    async with db.read() as conn:
        return await camera.may_send_chat_photos(conn, user_id)


async def allow_chat_photos(
    db: Database, user_id: int, leader_id: int, allowed: bool, now: datetime
) -> bool:
    """A leader's button: let the person (not) send chat photos; False if no such person."""
    async with db.transaction() as conn:
        if await participants.get(conn, user_id) is None:
            return False
        if allowed:
            await camera.allow_chat_photos(conn, user_id, leader_id, now)
        else:
            await camera.withdraw_chat_photos(conn, user_id)
        return True
