"""The bot introduces itself: a teenager opening its link sees what it does (setMyDescription)
and its profile says it in one line (setMyShortDescription), in Korean by default and in
English for English Telegram, set at start-up like the command menus."""

from bot import commands
from bot.campaign.config import parse_campaign
from bot.i18n import Translator
from tests.harness import start_harness, stop_harness
from tests.support import campaign_document, kst


async def test_what_can_this_bot_do_is_filled_in_korean_and_english(bot):
    korean, english = bot.tg.description(), bot.tg.description("en")
    assert "우리동네 치안협력관" in korean and "익산경찰서" in korean and "112" in korean
    assert "Press Start below to apply" in english and "112" in english
    assert "사진 두 장으로 인증해요" in bot.tg.description(short=True)
    assert "two photos" in bot.tg.description("en", short=True)
    assert bot.tg.description("de") == korean  # other languages see the default
    for call in bot.tg.calls_of("setMyDescription") + bot.tg.calls_of("setMyShortDescription"):
        assert call.ok


async def test_a_long_station_name_still_fits_telegrams_limits(tmp_path):
    document = campaign_document()
    document["campaign"]["station"] = "아주 긴 이름의 경찰서 & 생활안전계 " * 3  # 66 characters
    document["campaign"]["name"] = "우리동네 치안협력관 " * 7
    campaign = parse_campaign(document)
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "10:00"))
    try:
        for method in ("setMyDescription", "setMyShortDescription"):
            calls = bot.tg.calls_of(method)
            assert calls and all(c.ok for c in calls), method
        shown = bot.tg.description()
        assert "경찰서 & 생활안전계" in shown and "&amp;" not in shown  # plain text, not HTML
        assert len(bot.tg.description(short=True)) == commands.SHORT_DESCRIPTION_LIMIT
    finally:
        await stop_harness(bot)


def test_the_descriptions_fit_in_every_language(campaign):
    translator = Translator(strict=True)
    for language in ("ko", "en"):
        assert len(commands.description(translator, language, campaign)) <= 512
        assert len(commands.description(translator, language, campaign, short=True)) <= 120
