"""The form engine alone: every step's rules, skipping, going back, editing."""
from datetime import date

import pytest

from bot.engine.form import (
    FormState, Limits, Pick, Pin, Problem, SharedContact, Step, Typed, Unsupported, Upload,
    apply, normalize_phone, parse_date,
)
from bot.engine.regions import load_regions

LIMITS = Limits(regions=load_regions(), today=date(2026, 11, 28))


def run(*answers, state=None):
    state = state or FormState()
    outcome = None
    for answer in answers:
        outcome = apply(state, answer, LIMITS)
        assert outcome.problem is None, (state.step, answer, outcome.problem)
        state = outcome.state
    return state, outcome


STORY = Typed("Ada calo di desa kami yang menjanjikan kerja di Malaysia tanpa biaya.")


def test_full_path_reaches_summary_with_every_answer():
    state, _ = run(Pick("calo"), Pick("no"), Pick("1871"), Pin(-5.4, 105.26), STORY,
                   Pick("more"), Typed("Pak Joko"), Typed("0812-3456-7890"), Typed("PT Maju Jaya"),
                   Typed("@joko_kerja"), Pick("3"), Pick("MY"), Typed("15-01-2027"),
                   Pick("done"), Pick("contact"), Typed("Siti"), SharedContact("+62 811 2233 4455"))
    assert state.step is Step.SUMMARY
    assert state.answers["suspect_phone"] == "+6281234567890"
    assert state.answers["contact_phone"] == "+6281122334455"
    assert state.answers["departure_date"] == "2027-01-15"
    assert state.answers["latitude"] == -5.4


def test_optional_steps_can_all_be_skipped_and_required_cannot():
    state, _ = run(Pick("tppo"), Pick("yes"), Pick("OUT"), Pick("skip"), STORY, Pick("more"),
                   *[Pick("skip")] * 4, Pick("skip"), Pick("skip"), Pick("skip"),
                   Pick("done"), Pick("anonymous"))
    assert state.step is Step.SUMMARY
    assert apply(FormState(), Pick("skip"), LIMITS).problem is Problem.CANNOT_SKIP


def test_the_essentials_can_be_sent_at_once_and_anonymously():
    state, outcome = run(Pick("tppo"), Pick("yes"), Pick("1871"), Pick("skip"), STORY)
    assert state.step is Step.SEND_OR_ADD
    sent = apply(state, Pick("send"), LIMITS)
    assert sent.submit and sent.problem is None
    assert not sent.state.answers.get("contactable")
    assert apply(state, Typed("kirim"), LIMITS).submit       # typed instead of pressed
    assert apply(state, Typed("Pak Joko"), LIMITS).problem is Problem.USE_BUTTONS


def test_nothing_known_about_the_recruiter_skips_the_whole_group():
    state, _ = run(Pick("calo"), Pick("no"), Pick("1871"), Pick("skip"), STORY, Pick("more"))
    assert state.step is Step.SUSPECT_NAME
    state = FormState(state.step, {**state.answers, "suspect_phone": "+6281234567890"},
                      state.history)
    skipped = apply(state, Pick("skip_section"), LIMITS)
    assert skipped.problem is None and skipped.state.step is Step.VICTIMS
    assert "suspect_phone" not in skipped.state.answers
    back = apply(skipped.state, Pick("back"), LIMITS)
    assert back.state.step is Step.SUSPECT_NAME
    # Only a step that offers it skips a section.
    assert apply(skipped.state, Pick("skip_section"), LIMITS).problem is Problem.CANNOT_SKIP


def test_urgent_answer_asks_for_emergency_contacts():
    state, _ = run(Pick("calo"))
    assert apply(state, Pick("yes"), LIMITS).show_emergency


@pytest.mark.parametrize("answer,problem", [
    (Typed("calo"), Problem.USE_BUTTONS),
    (Unsupported("sticker"), Problem.USE_BUTTONS),
    (Pick("nonsense"), Problem.USE_BUTTONS),
])
def test_buttons_expected(answer, problem):
    assert apply(FormState(), answer, LIMITS).problem is problem


def test_description_length_and_voice():
    state, _ = run(Pick("calo"), Pick("no"), Pick("1871"), Pick("skip"))
    assert apply(state, Typed("terlalu pendek"), LIMITS).problem is Problem.TOO_SHORT
    assert apply(state, Typed("x" * 3001), LIMITS).problem is Problem.TOO_LONG
    assert apply(state, Unsupported("sticker"), LIMITS).problem is Problem.TEXT_OR_VOICE
    voice = apply(state, Upload("voice", size=1000), LIMITS)
    assert voice.store_upload is not None and voice.state.step is Step.SEND_OR_ADD


def test_typed_region_name_is_understood():
    state, _ = run(Pick("calo"), Pick("no"), Typed("kota metro"))
    assert state.answers["region"] == "1872"


def test_back_returns_to_previous_step_keeping_answers():
    state, _ = run(Pick("calo"), Pick("no"), Pick("back"))
    assert state.step is Step.URGENCY and state.answers["category"] == "calo"


def test_editing_from_summary_returns_to_summary_after_the_section():
    state, _ = run(Pick("calo"), Pick("no"), Pick("1871"), Pick("skip"), STORY, Pick("more"),
                   *[Pick("skip")] * 7, Pick("done"), Pick("anonymous"))
    state, _ = run(Pick("edit:suspect"), Typed("Bu Rina"), Pick("skip"), Pick("skip"),
                   Pick("skip"), state=state)
    assert state.step is Step.SUMMARY and state.answers["suspect_name"] == "Bu Rina"
    state, _ = run(Pick("edit:category"), Pick("tppo"), state=state)
    assert state.step is Step.SUMMARY and state.answers["category"] == "tppo"


def test_evidence_limits():
    state = FormState(step=Step.EVIDENCE, answers={"evidence_count": 10})
    assert apply(state, Upload("photo", size=10), LIMITS).problem is Problem.TOO_MANY_FILES
    state = FormState(step=Step.EVIDENCE, answers={"evidence_count": 0})
    big = Upload("document", size=21 * 1024 * 1024)
    assert apply(state, big, LIMITS).problem is Problem.FILE_TOO_BIG
    assert apply(state, Typed("foto nanti"), LIMITS).problem is Problem.FILES_OR_DONE


def test_typed_destination_is_kept_as_other_country():
    state = FormState(step=Step.DESTINATION)
    outcome = apply(state, Typed("Kamboja"), LIMITS)
    assert outcome.state.answers["destination"] == "OTHER"
    assert outcome.state.answers["destination_other"] == "Kamboja"
    assert outcome.state.step is Step.DEPARTURE


@pytest.mark.parametrize("raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                                 "(0812) 3456 7890"])
def test_phone_numbers_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+6281234567890"


def test_bad_phone_and_dates():
    assert normalize_phone("12345") is None
    assert parse_date("31-02-2027") is None
    assert parse_date("15 Januari 2027") == date(2027, 1, 15)
    assert parse_date("15 Jan 2027") == date(2027, 1, 15)
