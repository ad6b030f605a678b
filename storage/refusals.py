"""Photos the fairness checks refused: who, which check, when — so leaders can see patterns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.clock import moment_from_text, to_text
from storage.connection import Connection


@dataclass(frozen=True)
class RecordedRefusal:
    participant_id: int
    participant_name: str
    certification_id: int | None
    check_name: str
    detail: str | None
    at: datetime


async def record(
    conn: Connection,
    participant_id: int,
    certification_id: int | None,
    check_name: str,
    detail: str | None,
    file_unique_id: str | None,
    at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO refusals (participant_id, certification_id, check_name, detail,
                              file_unique_id, at)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
        (participant_id, certification_id, check_name, detail, file_unique_id, to_text(at)),
    )


async def latest(conn: Connection, limit: int = 15) -> list[RecordedRefusal]:
    cursor = await conn.execute(
        """
        SELECT r.*, COALESCE(p.full_name, p.telegram_name, '') AS name
        FROM refusals r LEFT JOIN participants p ON p.user_id = r.participant_id
        ORDER BY r.at DESC, r.id DESC LIMIT ?
        """,
        (limit,),
    )
    return [
        RecordedRefusal(
            participant_id=row["participant_id"],
            participant_name=row["name"],
            certification_id=row["certification_id"],
            check_name=row["check_name"],
            detail=row["detail"],
            at=moment_from_text(row["at"]),
        )
        for row in await cursor.fetchall()
    ]
