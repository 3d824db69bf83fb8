"""Renderers: escaping, Telegram's limits, callback data size."""
from datetime import date

from bot.engine.callbacks import MAX_CALLBACK_BYTES, Action, pack, unpack
from bot.engine.form import FormState, Step
from bot.engine.i18n import get_translator
from bot.engine.regions import load_regions
from bot.render.form import prompt, summary
from bot.render.text import MAX_TEXT, esc, pack_blocks, visible_length

REGIONS = load_regions()


def test_visible_length_counts_parsed_text_in_utf16_units():
    assert visible_length("<b>a&amp;b</b>") == 3
    assert visible_length("🙏") == 2


def test_long_summary_is_split_and_keyboard_stays_on_the_last_message():
    t = get_translator("id")
    answers = {"category": "calo", "urgent": False, "region": "1871",
               "description": "<&>" * 1000, "suspect_name": "N" * 200,
               "suspect_company": "C" * 200, "suspect_social": "S" * 300,
               "destination": "OTHER", "destination_other": "D" * 100,
               "departure_date": date(2027, 1, 15).isoformat(), "evidence_count": 3,
               "contactable": True, "contact_name": "K" * 120, "contact_phone": "+62811"}
    replies = summary(t, 99, FormState(Step.SUMMARY, answers), REGIONS)
    assert len(replies) >= 1
    assert all(visible_length(r.text) <= MAX_TEXT for r in replies)
    assert replies[-1].keyboard is not None and all(r.keyboard is None for r in replies[:-1])
    assert "&lt;&amp;&gt;" in "".join(r.text for r in replies)


def test_pack_blocks_splits_when_over_the_limit():
    blocks = ["a" * 3000, "b" * 3000, "c" * 10]
    replies = pack_blocks(blocks)
    assert [visible_length(r.text) for r in replies] == [3000, 3012]


def test_every_form_button_fits_in_callback_data():
    t = get_translator("en")
    big_id = 10**12
    for step in Step:
        for reply in prompt(t, big_id, FormState(step, {"category": "calo", "region": "1871"},
                                                 (Step.CATEGORY,)), REGIONS,
                            max_files=10, max_mb=20):
            if reply.keyboard:
                for row in reply.keyboard.inline_keyboard:
                    for button in row:
                        if button.callback_data:
                            assert len(button.callback_data.encode()) <= MAX_CALLBACK_BYTES


def test_callback_codec_round_trip_and_rejects_foreign_data():
    assert unpack(pack(Action.FORM, 1, "summary", "edit:suspect")) == (
        Action.FORM, ["1", "summary", "edit", "suspect"])
    assert unpack("zz:1") is None and unpack(None) is None


def test_escape_keeps_user_text_literal():
    assert esc("<script>&") == "&lt;script&gt;&amp;"
