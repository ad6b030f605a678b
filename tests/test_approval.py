"""Leaders decide on applications: only leaders, once, with every card and the applicant told."""

import pytest

from bot.campaign.config import parse_campaign
from storage import participants
from tests.harness import LEADER_IDS, start_harness, stop_harness
from tests.support import campaign_document, kst

GROUP = -1001234567890


async def _stored(bot, user_id):
    async with bot.services.database.transaction() as conn:
        return await participants.get(conn, user_id)


def _alert(bot) -> str:
    return bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def test_someone_who_is_not_a_leader_cannot_approve_with_a_copied_button(bot):
    leaders = await bot.open_leader_chats()
    minji, mallory = bot.person(1001), bot.person(6666, "말로리")
    await bot.apply(minji)
    await bot.say(mallory, "/start")
    card = bot.message_with_button(leaders[0]["id"], "decide:approve:1001")
    await bot.press(mallory, "decide:approve:1001", message=card)
    assert _alert(bot) == bot.t("leaders-only")
    await bot.press(mallory, "decide:reject:1001", message=card)
    assert _alert(bot) == bot.t("leaders-only")
    assert (await _stored(bot, 1001)).status == "pending"
    assert bot.buttons(leaders[0]["id"]) == ["decide:approve:1001", "decide:reject:1001"]


async def test_a_second_press_after_the_decision_says_who_decided_and_when(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    second_card = bot.message_with_button(leaders[1]["id"], "decide:approve:1001")
    await bot.approve(minji, leaders[0])
    told = len(bot.texts(1001))
    await bot.press(leaders[1], "decide:reject:1001", message=second_card)
    alert = _alert(bot)
    assert "경위9001" in alert and "8월 16일" in alert and "19:00" in alert
    assert (await _stored(bot, 1001)).status == "approved"
    assert len(bot.texts(1001)) == told  # the applicant hears nothing more


async def test_reject_asks_for_a_reason_and_the_applicant_reads_it(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.press(leaders[0], "decide:reject:1001")
    assert "사유" in bot.last_text(9001)
    await bot.say(leaders[0], "익산 거주자만 참여할 수 있어요 <확인>")
    person = await _stored(bot, 1001)
    assert person.status == "rejected"
    assert person.rejection_reason == "익산 거주자만 참여할 수 있어요 <확인>"
    assert "익산 거주자만 참여할 수 있어요 <확인>" in bot.last_text(1001)
    for leader_id in LEADER_IDS:
        assert "거절했어요" in bot.last_text(leader_id) or "거절하고" in bot.last_text(leader_id)


async def test_reject_without_a_reason(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.press(leaders[0], "decide:reject:1001")
    await bot.press(leaders[0], "decide:noreason:1001")
    assert (await _stored(bot, 1001)).status == "rejected"
    assert "승인되지 않았어요" in bot.last_text(1001) and "사유" not in bot.last_text(1001)


async def test_a_leader_can_change_their_mind_before_giving_the_reason(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.press(leaders[0], "decide:reject:1001")
    await bot.press(leaders[0], "decide:keep:1001")
    await bot.say(leaders[0], "이건 사유가 아니에요")
    assert (await _stored(bot, 1001)).status == "pending"


async def test_a_rejected_applicant_may_apply_again(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.press(leaders[0], "decide:reject:1001")
    await bot.press(leaders[0], "decide:noreason:1001")
    await bot.apply(minji, neighbourhood="모현동")
    person = await _stored(bot, 1001)
    assert person.status == "pending" and person.neighbourhood == "모현동"
    assert person.rejection_reason is None


async def test_pending_lists_waiting_applications_for_leaders_only(bot):
    leaders = await bot.open_leader_chats()
    await bot.say(leaders[0], "/pending")
    assert bot.last_text(9001) == bot.t("pending-none")
    await bot.apply(bot.person(1001), name="김민지")
    await bot.apply(bot.person(1002), name="박서연")
    await bot.say(leaders[0], "/pending")
    listing = bot.last_text(9001)
    assert "김민지" in listing and "박서연" in listing
    assert bot.buttons(9001) == ["pending:open:1001", "pending:open:1002"]
    await bot.press(leaders[0], "pending:open:1002")  # the card behind the name
    await bot.press(leaders[0], "decide:approve:1002")  # from that copy
    assert (await _stored(bot, 1002)).status == "approved"

    stranger = bot.person(1003)
    await bot.say(stranger, "/pending")
    assert bot.last_text(1003) == bot.t("leaders-only")


async def test_forged_or_malformed_decision_buttons_change_nothing(bot):
    leaders = await bot.open_leader_chats()
    card = bot.tg.last_sent_message(9001)
    for data in (
        "decide:approve:424242",
        "decide:approve:abc",
        "decide:approve:",
        "decide:reject:-1",
    ):
        await bot.press(leaders[0], data, message=card)
        assert _alert(bot) == bot.t("application-unknown")
    async with bot.services.database.transaction() as conn:
        assert await participants.count_by_status(conn) == {"visitor": 2}


@pytest.fixture
async def group_bot(tmp_path, campaign):
    harness = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=GROUP
    )
    harness.tg.add_chat(harness.factory.group_chat(GROUP, "치안협력관 단체방"))
    yield harness
    await stop_harness(harness)
    assert harness.errors == []


async def test_an_approved_participant_gets_a_single_use_invite_link(group_bot):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    (link_call,) = bot.tg.calls_of("createChatInviteLink")
    assert link_call.params["chat_id"] == GROUP and link_call.params["member_limit"] == 1
    assert link_call.result["invite_link"] in bot.last_text(1001)


async def test_a_join_request_from_an_approved_participant_is_approved(group_bot):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0])
    await bot.send(bot.factory.join_request(minji, GROUP))
    (call,) = bot.tg.calls_of("approveChatJoinRequest")
    assert call.ok and call.params["user_id"] == 1001


async def test_a_join_request_without_an_application_is_never_a_card_to_approve(group_bot):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    stranger = bot.person(1005, "하늘")
    await bot.send(bot.factory.join_request(stranger, GROUP))
    # The requester is led to the application at once (the bot may write for a few minutes).
    assert "신청서" in bot.last_text(1005) and bot.buttons(1005) == ["apply:begin"]
    for leader_id in LEADER_IDS:
        assert all(
            "decide:approve:1005" not in str(m.get("reply_markup"))
            for m in bot.tg.sent_messages(leader_id)
        )
    # Even a leader pressing a forged approve button lets no one in.
    card = bot.tg.last_sent_message(9001)
    await bot.press(leaders[0], "decide:approve:1005", message=card)
    assert _alert(bot) == bot.t("application-unknown")
    assert (await _stored(bot, 1005)).status == "visitor"
    assert bot.tg.calls_of("approveChatJoinRequest") == []
    # They fill in the form (with the consent); the leader approves; the waiting request is
    # approved with it, and no invite link is needed.
    await bot.apply(stranger, name="정하늘")
    assert "정하늘" in bot.last_text(9001)
    await bot.approve(stranger, leaders[0])
    (call,) = bot.tg.calls_of("approveChatJoinRequest")
    assert call.ok and call.params["user_id"] == 1005
    assert bot.tg.calls_of("createChatInviteLink") == []


async def test_a_join_request_while_the_application_waits_is_approved_with_it(group_bot):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    cards = len(bot.tg.sent_messages(9001))
    await bot.send(bot.factory.join_request(minji, GROUP))
    assert bot.last_text(1001) == bot.t("join-request-waiting")
    assert len(bot.tg.sent_messages(9001)) == cards  # nothing new for the leaders
    await bot.approve(minji, leaders[0])
    (call,) = bot.tg.calls_of("approveChatJoinRequest")
    assert call.params["user_id"] == 1001


async def test_a_leader_declines_join_requests_without_an_application(group_bot):
    bot = group_bot
    leaders = await bot.open_leader_chats()
    applicant, stranger = bot.person(1001), bot.person(1006, "낯선이")
    await bot.send(bot.factory.join_request(stranger, GROUP))
    await bot.send(bot.factory.join_request(applicant, GROUP))
    await bot.apply(applicant)
    await bot.press(leaders[1], "joins:decline")
    (declined,) = bot.tg.calls_of("declineChatJoinRequest")
    assert declined.ok and declined.params["user_id"] == 1006
    assert bot.last_text(9002) == bot.t("join-decline-done", count=1)
    await bot.services.outbox.drain(until_empty=True)
    card = bot.message_with_button(9001, "joins:decline")  # the gathering card, edited
    assert "가입 요청 1건을 거절했어요" in card["text"]
    # The applicant's request still waits for their application's decision.
    await bot.approve(applicant, leaders[0])
    (approved,) = bot.tg.calls_of("approveChatJoinRequest")
    assert approved.params["user_id"] == 1001
    # A participant cannot press the card's button.
    await bot.press(applicant, "joins:decline", message=card)
    assert _alert(bot) == bot.t("leaders-only")


async def test_forty_join_requests_gather_on_one_card_per_leader(group_bot):
    bot = group_bot
    await bot.open_leader_chats()
    before = {leader_id: len(bot.tg.sent_messages(leader_id)) for leader_id in LEADER_IDS}
    strangers = [bot.person(5000 + i, f"계정{i:02d}") for i in range(40)]
    for person in strangers:
        await bot.send(bot.factory.join_request(person, GROUP))
        await bot.send(bot.factory.join_request(person, GROUP))  # Telegram may resend one
    await bot.services.outbox.drain(until_empty=True)
    assert bot.tg.calls_of("approveChatJoinRequest") == []
    for leader_id in LEADER_IDS:
        new = bot.tg.sent_messages(leader_id)[before[leader_id] :]
        (card,) = new  # one card, edited in place: no button to approve anyone
        assert "계정00" in card["text"] and "계정19" in card["text"]
        assert "계정20" not in card["text"]  # named up to the day's cap
        assert "20명 이상" in card["text"] and "한도" in card["text"]
        buttons = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"]
                   for b in row]  # fmt: skip
        assert buttons == ["joins:decline"]
        edits = [c for c in bot.tg.calls_of("editMessageText") if c.params["chat_id"] == leader_id]
        assert 1 <= len(edits) <= 21  # never one per request beyond the cap
    # Every requester was led to the application.
    assert all(bot.buttons(person["id"]) == ["apply:begin"] for person in strangers)


async def test_applications_past_the_days_card_cap_wait_on_the_gathering_card(tmp_path):
    document = campaign_document()
    document["leaders"] = {"application_cards_per_day": 2}
    bot = await start_harness(tmp_path, parse_campaign(document), kst("2027-08-16", "19:00"))
    leaders = await bot.open_leader_chats()
    before = len(bot.tg.sent_messages(9001))
    for i in range(5):
        await bot.apply(bot.person(1001 + i, f"신청{i}"), name=f"신청자{i}")
    await bot.services.outbox.drain(until_empty=True)
    new = bot.tg.sent_messages(9001)[before:]
    cards = [m for m in new if "decide:approve:" in str(m.get("reply_markup"))]
    assert len(cards) == 2
    (gathered,) = [m for m in new if "/pending" in m["text"]]
    assert "3건이 더 기다려요" in gathered["text"]
    await bot.say(leaders[0], "/pending")
    assert bot.t("pending-page", count=5, page=1, pages=1) in bot.last_text(9001)
    await bot.press(leaders[0], "pending:open:1005")
    await bot.press(leaders[0], "decide:approve:1005")  # from the /pending copy
    assert (await _stored(bot, 1005)).status == "approved"
    await stop_harness(bot)
    assert bot.errors == []


async def test_a_participant_pressing_leader_buttons_with_real_ids_changes_nothing(bot):
    """Valid-looking ids of other people's applications, certifications, participants."""
    leaders = await bot.open_leader_chats()
    minji, seojun = bot.person(1001), bot.person(1002, "서준")
    await bot.join(minji, leaders[0])
    await bot.apply(seojun, name="이서준")
    await bot.say(minji, "/certify")
    await bot.send_photo(minji)
    bot.advance(minutes=15)
    await bot.send_photo(minji)
    async with bot.services.database.transaction() as conn:
        (cert_id,) = await (await conn.execute("SELECT id FROM certifications")).fetchone()
    own = bot.tg.last_sent_message(1001)
    forged = [
        "decide:approve:1002",
        "decide:reject:1002",
        "decide:noreason:1002",
        "decide:keep:1002",
        f"rev:revoke:{cert_id}",
        f"rev:restore:{cert_id}",
        "person:pause:1001",
        "person:remove:1001",
        "person:name:1002",
        "handout:letter:1001",
        "handout:m10:1001",
        "broadcast:send",
        "theme:confirm",
        "idea:use:1",
    ]
    for data in forged:
        await bot.press(minji, data, message=own)
        assert _alert(bot) == bot.t("leaders-only"), data
    assert (await _stored(bot, 1002)).status == "pending"
    person = await _stored(bot, 1001)
    assert person.status == "approved" and not person.paused
    async with bot.services.database.transaction() as conn:
        statuses = await (await conn.execute("SELECT status FROM certifications")).fetchall()
        inputs = await (await conn.execute("SELECT COUNT(*) FROM pending_inputs")).fetchone()
    assert [row[0] for row in statuses] == ["accepted"] and inputs[0] == 0


async def test_buttons_that_no_feature_knows_are_answered_and_change_nothing(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    welcome = bot.tg.last_sent_message(1001)
    for who in (minji, leaders[0]):
        for data in ("nonsense", "app", "🙂", "approve:1001", "x" * 64):
            await bot.press(who, data, message=welcome)
            assert _alert(bot) == bot.t("button-stale"), data
    assert (await _stored(bot, 1001)).status == "visitor"


async def test_a_leader_pressing_forged_participant_buttons_is_told_and_nothing_waits(bot):
    leaders = await bot.open_leader_chats()
    own = bot.tg.last_sent_message(9001)
    for data in ("person:pause:", "person:explode:1001", "person:pause:1:2", "person:resume:x"):
        await bot.press(leaders[0], data, message=own)
        assert _alert(bot) == bot.t("button-stale"), data
    await bot.press(leaders[0], "person:pause:424242", message=own)  # nobody with that id
    assert bot.last_text(9001) == bot.t("participant-unchanged")
    async with bot.services.database.transaction() as conn:
        waiting = await (await conn.execute("SELECT COUNT(*) FROM pending_inputs")).fetchone()
    assert waiting[0] == 0


async def test_a_pending_application_without_the_consent_cannot_be_approved(bot):
    leaders = await bot.open_leader_chats()
    async with bot.services.database.transaction() as conn:
        await conn.execute(
            "INSERT INTO participants (user_id, status, telegram_name, full_name, applied_at, "
            "created_at, updated_at) VALUES (1007, 'pending', '누군가', '누군가', "
            "'2027-08-16T10:00:00+00:00', 'x', 'x')"
        )
    card = bot.tg.last_sent_message(9001)
    await bot.press(leaders[0], "decide:approve:1007", message=card)
    assert _alert(bot) == bot.t("application-no-consent")
    assert (await _stored(bot, 1007)).status == "pending"


async def _launch_evening(bot, applicants: int) -> list[dict]:
    leaders = await bot.open_leader_chats()
    for i in range(applicants):
        await bot.apply(bot.person(2001 + i, f"신청{i}"), name=f"신청자{i:02d}")
    return leaders


async def test_pending_on_launch_evening_is_one_message_with_ten_names_a_page(bot):
    leaders = await _launch_evening(bot, 23)
    before = len(bot.tg.calls_of("sendMessage"))
    await bot.say(leaders[0], "/pending")
    assert len(bot.tg.calls_of("sendMessage")) == before + 1  # one message, not 23
    listing = bot.tg.last_sent_message(9001)
    text = listing["text"]
    assert bot.t("pending-page", count=23, page=1, pages=3) in text
    assert "신청자00" in text and "신청자09" in text and "신청자10" not in text
    data = bot.buttons(9001)
    assert data[:10] == [f"pending:open:{2001 + i}" for i in range(10)]
    assert data[10:] == ["pending:page:2"]  # no "previous" on the first page

    # Paging edits that same message; the last page has 3 names and only "previous".
    await bot.press(leaders[0], "pending:page:2")
    await bot.press(leaders[0], "pending:page:3")
    page = bot.tg.message(9001, listing["message_id"])
    assert bot.t("pending-page", count=23, page=3, pages=3) in page["text"]
    assert "신청자22" in page["text"] and "신청자19" not in page["text"]
    assert bot.buttons(9001)[-1] == "pending:page:2"
    assert len(bot.tg.calls_of("sendMessage")) == before + 1

    # A name opens that application's card, whose buttons decide it.
    await bot.press(leaders[0], "pending:open:2023")
    assert "신청자22" in bot.last_text(9001)
    await bot.press(leaders[0], "decide:approve:2023")
    assert (await _stored(bot, 2023)).status == "approved"
    await bot.press(leaders[0], "pending:open:2023", message=page)  # decided: said so
    assert _alert(bot) == bot.t("pending-decided")


async def test_pending_pages_are_for_leaders_only(bot):
    await _launch_evening(bot, 12)
    mallory = bot.person(6666, "말로리")
    await bot.say(mallory, "/start")
    forged = {**bot.tg.last_sent_message(6666)}
    for data in ("pending:page:2", "pending:open:2001"):
        await bot.press(mallory, data, message=forged)
        assert _alert(bot) == bot.t("leaders-only")


async def test_pending_offers_the_console_when_it_is_configured(tmp_path, campaign):
    from tests.test_console_web import console_settings

    bot = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), console=console_settings()
    )
    leaders = await _launch_evening(bot, 1)
    await bot.say(leaders[0], "/pending")
    rows = bot.tg.last_sent_message(9001)["reply_markup"]["inline_keyboard"]
    assert rows[-1][0]["web_app"]["url"].startswith("https://")
    await stop_harness(bot)
    assert bot.errors == []


async def test_the_daily_caps_come_from_the_campaign_file(tmp_path):
    document = campaign_document()
    document["leaders"] = {"application_cards_per_day": 100, "join_requests_listed_per_day": 50}
    leaders = parse_campaign(document).leaders
    assert (leaders.application_cards_per_day, leaders.join_requests_listed_per_day) == (100, 50)
    assert parse_campaign(campaign_document()).leaders.application_cards_per_day == 20
