"""Korean particles follow the word before them: 경찰서와 but 경찰청과, 서울로 but 경찰청으로."""

import pytest

from bot.i18n import Translator
from locales.particles import attach, particle

# (word, 은/는, 이/가, 을/를, 과/와, 으로/로, 이에요/예요, 아/야)
WORDS = [
    ("익산경찰서", "는", "가", "를", "와", "로", "예요", "야"),
    ("경찰청", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("서울", "은", "이", "을", "과", "로", "이에요", "아"),
    ("3차", "는", "가", "를", "와", "로", "예요", "야"),
    ("20", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("3", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("7", "은", "이", "을", "과", "로", "이에요", "아"),
    ("2", "는", "가", "를", "와", "로", "예요", "야"),
    ("1,000", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("Minji", "는", "가", "를", "와", "로", "예요", "야"),
    ("Tom", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("Daniel", "은", "이", "을", "과", "로", "이에요", "아"),
    ("Apple", "은", "이", "을", "과", "로", "이에요", "아"),
    ("Jack", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("Kate", "는", "가", "를", "와", "로", "예요", "야"),
    ("Peter", "는", "가", "를", "와", "로", "예요", "야"),
    ("CCTV", "는", "가", "를", "와", "로", "예요", "야"),
    ("LH", "는", "가", "를", "와", "로", "예요", "야"),
    ("URL", "은", "이", "을", "과", "로", "이에요", "아"),
    ("민지(학생)", "는", "가", "를", "와", "로", "예요", "야"),
    ("'보안등'", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("골목!!", "은", "이", "을", "과", "으로", "이에요", "아"),
    ("Tom &amp; Jerry", "는", "가", "를", "와", "로", "예요", "야"),
]
MORPHS = ("은", "이", "을", "과", "으로", "이에요", "아")


@pytest.mark.parametrize("row", WORDS, ids=[row[0] for row in WORDS])
def test_each_particle_fits_the_last_sound_of_the_word(row):
    word, *expected = row
    for morph, form in zip(MORPHS, expected, strict=True):
        assert particle(word, morph) == form, (word, morph)


@pytest.mark.parametrize("given", ["을", "를"])
def test_either_form_of_a_particle_may_be_written(given):
    assert attach("경찰서", given) == "경찰서를"
    assert attach("경찰청", given) == "경찰청을"


def test_no_word_ever_gets_both_forms():
    for word in ("Minji", "😀", "", "!!!", "ab1c", "X", "Ωmega", "Ünal"):
        for morph in MORPHS:
            assert "(" not in particle(word, morph), (word, morph)


def test_the_fluent_function_formats_numbers_like_the_catalogue():
    translator = Translator(strict=True)
    text = translator("ko", "risk-ask-agency", id=12345)
    assert "#12,345를" in text  # 만 이천삼백사십오 ends without a final consonant
    assert "#10을" in translator("ko", "risk-ask-agency", id=10)


def test_the_very_first_message_names_the_station_with_the_right_particle():
    translator = Translator(strict=True)
    common = {"name": "민지", "campaign": "우리동네 치안협력관", "status": "other", "minutes": 30}
    assert "익산경찰서와 함께하는" in translator("ko", "welcome", station="익산경찰서", **common)
    assert "경찰청과 함께하는" in translator("ko", "welcome", station="경찰청", **common)
