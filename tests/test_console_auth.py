"""Who may open the leaders' console: Telegram's signed initData (the documented HMAC-SHA256
with the "WebAppData" key), fresh, and the short-lived download links."""

from urllib.parse import quote, urlencode

import pytest

from bot.console import auth
from tests.fakes.webapp import init_data, leader_user

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
USER = '{"id":9001,"first_name":"경위","language_code":"ko"}'
# Computed with openssl from the Mini Apps docs' recipe, not with Python:
#   SECRET=$(printf '%s' "$TOKEN" | openssl dgst -sha256 -hmac WebAppData -binary | xxd -p -c 256)
#   printf 'auth_date=1700000000\nquery_id=AAHdF6IQAAAAAN0XohDhrOrc\nuser=<USER>' \
#     | openssl dgst -sha256 -mac HMAC -macopt hexkey:$SECRET
OPENSSL_SECRET = "8d4ae4710fc246c92cf463b9c334282966cbd9582e02e0f70b4fc62c3e5e0f15"
OPENSSL_HASH = "711e72734f08960f612a8e94735ff8f697a4d52d4c85baf47ae380d39c3e8b13"
SIGNED_AT = 1700000000


def _vector(**changes: str) -> str:
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": USER,
        "auth_date": str(SIGNED_AT),
        "hash": OPENSSL_HASH,
    }
    fields.update(changes)
    return urlencode(fields, quote_via=quote)


def test_the_secret_key_is_the_token_signed_with_web_app_data():
    assert auth.secret_key(TOKEN).hex() == OPENSSL_SECRET


def test_init_data_signed_by_openssl_with_the_documented_recipe_is_accepted():
    opener = auth.verify(_vector(), TOKEN, SIGNED_AT + 10, 3600)
    assert opener == auth.Opener(9001, "경위", "ko", SIGNED_AT)


def test_a_changed_field_a_wrong_hash_or_another_bots_token_is_refused():
    for raw, token in (
        (_vector(user=USER.replace("9001", "9002")), TOKEN),
        (_vector(hash="0" * 64), TOKEN),
        (_vector(), "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
        (_vector().replace("hash=", "hash=x"), TOKEN),
        ("", TOKEN),
        ("garbage", TOKEN),
    ):
        with pytest.raises(auth.Refused) as refused:
            auth.verify(raw, TOKEN if token == TOKEN else token, SIGNED_AT + 10, 3600)
        assert refused.value.status == 401


def test_init_data_older_than_the_allowed_age_or_from_the_future_is_refused():
    assert auth.verify(_vector(), TOKEN, SIGNED_AT + 3600, 3600).user_id == 9001
    for now in (SIGNED_AT + 3601, SIGNED_AT - 120):
        with pytest.raises(auth.Refused):
            auth.verify(_vector(), TOKEN, now, 3600)


def test_a_field_sent_twice_is_refused_even_when_one_copy_is_signed():
    raw = _vector() + "&user=" + quote('{"id":9002}')
    with pytest.raises(auth.Refused):
        auth.verify(raw, TOKEN, SIGNED_AT + 10, 3600)


def test_the_tests_signer_and_the_bots_signer_agree():
    raw = init_data(leader_user(9001), TOKEN, auth_date=SIGNED_AT)
    assert auth.verify(raw, TOKEN, SIGNED_AT, 60).user_id == 9001
    fields = {"auth_date": str(SIGNED_AT), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": USER}
    assert auth.signature(fields, TOKEN) == OPENSSL_HASH


def test_a_download_link_works_for_its_leader_and_kind_until_it_expires():
    sig = auth.link_signature(TOKEN, "hours-xlsx", 9001, 1000)
    assert auth.check_link(TOKEN, "hours-xlsx", 9001, 1000, sig, 999)
    assert not auth.check_link(TOKEN, "hours-xlsx", 9001, 1000, sig, 1001)
    assert not auth.check_link(TOKEN, "hours-csv", 9001, 1000, sig, 999)
    assert not auth.check_link(TOKEN, "hours-xlsx", 9002, 1000, sig, 999)
    assert not auth.check_link(TOKEN, "hours-xlsx", 9001, 2000, sig, 999)


def test_every_field_telegram_sends_is_signed_the_newer_signature_field_included():
    # Shaped like what Telegram clients send today (escaped slashes in the user's JSON,
    # chat_instance, chat_type and the Ed25519 "signature" field, which the HMAC covers too).
    user = (
        '{"id":9001,"first_name":"경위 + - ? \\/","username":"officer","language_code":"ko",'
        '"allows_write_to_pm":true,"photo_url":"https:\\/\\/t.me\\/i\\/userpic\\/320\\/x.svg"}'
    )
    fields = {
        "user": user,
        "chat_instance": "8134722200314281151",
        "chat_type": "private",
        "auth_date": str(SIGNED_AT),
        "signature": "TYJxVcisqbWjtodPepiJ6ghziUL94-KNpG8Pau-X7oNNLNBM72APCpi_RKiUlBvcqo5L",
    }
    raw = urlencode({**fields, "hash": auth.signature(fields, TOKEN)}, quote_via=quote)
    assert auth.verify(raw, TOKEN, SIGNED_AT, 60).first_name == "경위 + - ? /"
    with pytest.raises(auth.Refused):
        auth.verify(raw.replace("signature=TYJ", "signature=XYJ"), TOKEN, SIGNED_AT, 60)
