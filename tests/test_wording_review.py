"""Points of the Indonesian wording review (../shared/reference/bahasa-review.md) that the
catalogs once missed, read through the code that shows them."""
from __future__ import annotations

from bot.engine.form import STEPS, Step
from bot.engine.i18n import get_translator
from bot.engine.labels import category_label


def test_holding_before_departure_is_not_called_normal_practice():
    # "ditampung" is what a licensed agency does; the offence is holding or confining.
    label = category_label(get_translator("id"), "confinement")
    assert label == "Calon PMI ditahan atau dikurung di penampungan sebelum berangkat"


def test_the_destination_question_names_the_victims_not_a_vague_they():
    question = get_translator("id")(STEPS[Step.DESTINATION].question)
    assert "mereka" not in question and "korban" in question
