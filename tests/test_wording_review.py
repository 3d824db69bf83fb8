"""Points of the Indonesian wording reviews (docs/reviews/bahasa-review.md and
bahasa-review-2.md) that the catalogs once missed, read through the code that shows them."""
from __future__ import annotations

import re

from bot.engine.form import STEPS, Step
from bot.engine.i18n import get_translator, load_catalog
from bot.engine.labels import category_label
from bot.prevention.guide import load_guide
from bot.render.officer_desk import offer_to_send
from bot.services.codes import looks_like_followup_code
from models import Report


def test_holding_before_departure_is_not_called_normal_practice():
    # "ditampung" is what a licensed agency does; the offence is holding or confining.
    label = category_label(get_translator("id"), "confinement")
    assert label == "Calon PMI ditahan atau dikurung di penampungan sebelum berangkat"


def test_the_destination_question_names_the_victims_not_a_vague_they():
    question = get_translator("id")(STEPS[Step.DESTINATION].question)
    assert "mereka" not in question and "korban" in question


# The second review (docs/reviews/bahasa-review-2.md): informal or literal words it mended,
# so they do not creep back.
SECOND_REVIEW_FORBIDDEN = (
    "dicek", "sepertinya", "dipakai di sini", "dieskalasi",
    "kerja online", "chat pribadi", "satgas pmi", "1 pesan ini", "jumlah terbanyak",
    "memakai bot", "tidak bisa menunjukkan", "anda sebut", "kasus di bawah",
)


def _indonesian_texts() -> list[str]:
    texts = []
    for message in load_catalog("id"):
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts += [s for s in strings if s]
    for page in load_guide().pages:
        texts += [page.title["id"]] + [item.text["id"] for item in page.items]
    return texts


def test_the_second_reviews_informal_and_literal_words_are_gone():
    offenders = [(word, text) for text in _indonesian_texts()
                 for word in SECOND_REVIEW_FORBIDDEN if word in text.lower()]
    # PUEBI joins the prefix ("prapemberangkatan"); the programme's own capitalised name,
    # Orientasi Pra Pemberangkatan (OPP), stays as the ministry writes it.
    offenders += [text for text in _indonesian_texts() if "pra pemberangkatan" in text]
    assert offenders == []


def test_example_follow_up_codes_use_only_the_code_alphabet():
    # "ABCDE-FGHJK" taught residents letters a real code never has (B, G).
    for locale in ("id", "en"):
        for message in load_catalog(locale):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for code in re.findall(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b", " ".join(filter(None, strings))):
                assert looks_like_followup_code(code.replace("-", "")), (locale, code)


def test_the_guide_speaks_formally_and_a_review_note_cites_no_regulation_in_force():
    steps = [item.text["id"] for item in load_guide().page("route").items]
    assert not [step for step in steps if re.match(r"\d+\. Daftar ", step)]
    note = next(item for item in load_guide().page("costs").items
                if "ditinjau" in item.text["id"])
    assert note.effective == "" and "Peraturan" not in note.source


def test_one_kept_message_is_this_message_not_one_counted_message():
    report = Report(case_number="LPG-2612-XMHJP", card_token="tok")
    one = offer_to_send(get_translator("id"), report, 1).text
    assert one.startswith("Kirim pesan ini kepada pelapor kasus LPG-2612-XMHJP")
    assert "Kirim 2 pesan ini" in offer_to_send(get_translator("id"), report, 2).text
