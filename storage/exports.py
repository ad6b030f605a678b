"""What the 1365 hours export reads: each participant with accepted certifications in a round,
and their accepted certifications per campaign day.

Revoked (and unfinished) certifications never count: the per-day tallies (migration 0010) hold
only ``status = 'accepted'`` certifications with a campaign day, kept exact by triggers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from storage.connection import Connection


@dataclass(frozen=True, slots=True)
class ActiveParticipant:
    """One participant with accepted certifications in a round, and how many on each day."""

    user_id: int
    full_name: str | None
    telegram_name: str
    username: str | None
    volunteer_id: str | None
    category: str | None
    affiliation: str | None
    days: tuple[tuple[date, int], ...]  # (campaign day, accepted certifications), by day
    earlier: int = 0  # accepted certifications of earlier rounds (their minutes carry in)


async def round_activity(
    conn: Connection, round_name: str, later_rounds: Sequence[str] = ()
) -> list[ActiveParticipant]:
    """Everyone with accepted certifications in the round (anonymised people too), in no
    particular order: the export sorts by name itself.

    One row per person, their days packed into one text: 10,000 rows cross to Python instead of
    370,000, and the tallies' key (round, participant, day) gives the grouping without a sort.
    ``earlier`` counts the certifications of every other round except ``later_rounds`` (a round
    no longer in the campaign file is an earlier one).
    """
    marks = ", ".join("?" for _ in later_rounds)
    cursor = await conn.execute(
        f"""
        SELECT p.user_id, p.full_name, p.telegram_name, p.username, p.volunteer_id,
               p.category, p.affiliation, group_concat(d.campaign_day || ' ' || d.accepted, ' '),
               COALESCE(e.accepted, 0)
        FROM tally_person_days AS d
        JOIN participants AS p ON p.user_id = d.participant_id
        -- One pass over the other rounds' counters (their key starts with the round, so a
        -- per-person look-up would scan them all for each person).
        LEFT JOIN (
            SELECT participant_id, SUM(accepted) AS accepted FROM tally_person_rounds
            WHERE round_name != ?1 AND round_name NOT IN ({marks})
            GROUP BY participant_id
        ) AS e ON e.participant_id = d.participant_id
        WHERE d.round_name = ?1
        GROUP BY d.participant_id
        """,
        (round_name, *later_rounds),
    )
    days = _Days()
    people = []
    for row in await cursor.fetchall():
        words = row[7].split(" ")  # day count day count ...
        texts, counts = words[0::2], words[1::2]
        pairs = tuple(zip(map(days.__getitem__, texts), map(int, counts), strict=True))
        if texts != sorted(texts):  # SQLite gives them in key order; the SQL does not promise it
            pairs = tuple(sorted(pairs))
        people.append(
            ActiveParticipant(
                user_id=row[0],
                full_name=row[1],
                telegram_name=row[2],
                username=row[3],
                volunteer_id=row[4],
                category=row[5],
                affiliation=row[6],
                days=pairs,
                earlier=row[8],
            )
        )
    return people


class _Days(dict[str, date]):
    """ISO text -> date, each of the round's ~50 days parsed once."""

    def __missing__(self, text: str) -> date:
        found = self[text] = date.fromisoformat(text)
        return found
