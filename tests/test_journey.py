"""A resident's whole way through the campaign, through real updates and the fake Bot API."""

from storage import certifications, participants
from tests.harness import LEADER_IDS


async def test_apply_approve_certify_and_see_the_tally(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001, "민지")

    await bot.apply(minji)
    assert "접수" in bot.last_text(1001)
    for leader_id in LEADER_IDS:
        card = bot.last_text(leader_id)
        assert "김민지" in card and "익산고등학교" in card and "minji1365" in card
        assert bot.buttons(leader_id) == ["decide:approve:1001", "decide:reject:1001"]

    await bot.approve(minji, leaders[0])
    assert "승인" in bot.last_text(1001)
    for leader_id in LEADER_IDS:  # every leader's copy shows who decided, without buttons
        assert "승인했어요" in bot.last_text(leader_id)
        assert bot.buttons(leader_id) == []

    await bot.say(minji, "/certify")
    assert "시작 사진" in bot.last_text(1001)
    await bot.send_photo(minji)
    assert "시작 사진 받았어요" in bot.last_text(1001)
    bot.advance(minutes=12)
    await bot.send_photo(minji)
    done = bot.last_text(1001)
    assert "인증 완료" in done
    assert "오늘 1회" in done and "3차 1회" in done and "누적 1회" in done
    assert "봉사시간 0시간 30분" in done
    assert "19회 남았어요" in done

    await bot.press(minji, bot.buttons(1001)[0])  # skip the note
    await bot.say(minji, "/me")
    assert "누적 1회" in bot.last_text(1001)

    async with bot.services.database.transaction() as conn:
        person = await participants.get(conn, 1001)
        tally = await certifications.tally(conn, 1001, bot.now.date(), "3차")
    assert person.status == "approved" and person.decided_by == LEADER_IDS[0]
    assert tally.total == 1
