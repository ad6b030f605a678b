"""Plain helpers for tests: campaign times and a campaign document with a running round."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
ROUND_START = date(2027, 8, 16)


def kst(day: str, clock: str = "12:00") -> datetime:
    """A moment in the campaign's time zone, e.g. ``kst("2027-08-16", "19:00")``."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SEOUL)


def campaign_document() -> dict:
    return {
        "campaign": {"name": "우리동네 치안협력관", "station": "익산경찰서"},
        "rounds": [{"name": "3차", "start": ROUND_START, "days": 50}],
        "standing_mission": {"title": "우리동네 불안 요소 찾기", "description": "골목 순찰"},
        "theme_missions": [
            {"title": "보이스피싱 예방 카드뉴스", "start": date(2027, 8, 23), "days": 7}
        ],
    }
