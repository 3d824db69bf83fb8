"""One step, one place: the form, its questions and buttons, the summary, the case and the
export all read bot.engine.form.STEPS. Moving or relabelling a step in a copy of the table moves
it everywhere; these tests fail if any of them kept its own list of steps."""
from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from bot.analytics.export import CASE_COLUMNS, WORK_COLUMNS, columns, write_csv
from bot.analytics.period import DateRange
from bot.engine.form import (
    STEPS, FormState, Limits, Pick, Pin, SharedContact, Step, SummaryLine, Typed, apply,
    case_values,
)
from bot.engine.i18n import get_translator, load_catalog
from bot.engine.regions import load_regions
from bot.render import form as view
from tests.helpers.analytics import make_report, utc

REGIONS = load_regions()
LIMITS = Limits(regions=REGIONS, today=date(2026, 11, 28))
EN = get_translator("en")
# One answer a step, for a walk through the whole form.
ANSWERS = {
    Step.CATEGORY: Pick("calo"), Step.URGENCY: Pick("no"), Step.REGION: Pick("1871"),
    Step.LOCATION: Pin(-5.4, 105.26),
    Step.DESCRIPTION: Typed("Ada calo di desa kami yang menjanjikan kerja di Malaysia."),
    Step.SEND_OR_ADD: Pick("more"), Step.SUSPECT_NAME: Typed("Pak Joko"), Step.SUSPECT_PHONE: Typed("0812-3456-7890"),
    Step.SUSPECT_COMPANY: Typed("PT Maju Jaya"), Step.SUSPECT_SOCIAL: Typed("@joko_kerja"),
    Step.VICTIMS: Pick("3"), Step.DESTINATION: Pick("OTHER"),
    Step.DESTINATION_OTHER: Typed("Kamboja"), Step.DEPARTURE: Typed("15-01-2027"),
    Step.EVIDENCE: Pick("done"), Step.IDENTITY: Pick("contact"),
    Step.CONTACT_NAME: Typed("Siti"), Step.CONTACT_PHONE: SharedContact("+62 811 2233 4455"),
}


def walk() -> tuple[list[Step], FormState]:
    """Answer every question; the steps in the order the form asked them."""
    state, asked = FormState(), []
    while state.step is not Step.SUMMARY:
        asked.append(state.step)
        outcome = apply(state, ANSWERS[state.step], LIMITS)
        assert outcome.problem is None, (state.step, outcome.problem)
        state = outcome.state
    return asked, state


def summary_labels(answers: dict) -> list[str]:
    text = "\n".join(view.summary_blocks(EN, answers, REGIONS))
    return [line.split(":</b>")[0].removeprefix("<b>") for line in text.splitlines()
            if ":</b>" in line]


def answer_keys(with_contacts: bool = False) -> list[str]:
    keys = [key for key, _ in columns(with_contacts)]
    work = [key for key, _ in WORK_COLUMNS]
    return keys[len(CASE_COLUMNS):keys.index(work[0])]


@pytest.fixture
def moved_table(monkeypatch):
    """A copy of the table with the company asked first, relabelled, with a new question."""
    specs = list(STEPS.specs)
    names = [spec.key for spec in specs]
    company = specs.pop(names.index(Step.SUSPECT_COMPANY))
    company = replace(
        company, question="Which agency sent them?",
        summary=SummaryLine("Agency (as told)", company.summary.show, company.summary.block),
        export=replace(company.export, header="Agency named by the reporter"))
    specs.insert(names.index(Step.SUSPECT_NAME), company)
    monkeypatch.setattr(STEPS, "specs", tuple(specs))


def test_every_step_is_one_entry_and_the_form_asks_them_in_table_order():
    assert set(STEPS.order) == set(Step) and STEPS.order[-1] is Step.SUMMARY
    asked, state = walk()
    assert asked == [step for step in STEPS.order if step is not Step.SUMMARY]
    catalog = load_catalog("id")
    for spec in STEPS:
        if spec.key is not Step.SUMMARY:
            assert spec.question in catalog, spec.key        # reviewed texts, one msgid
    # The case's columns come from the table's mapping of the answers.
    values = case_values(state.answers)
    assert values["region_code"] == "1871" and values["destination_country"] == "OTHER"
    assert values["departure_date"] == date(2027, 1, 15) and values["contactable"] is True
    assert "contact_name" not in values      # secret: kept encrypted beside the case
    # The contact names the reporter; the pin may locate them: both kept encrypted.
    assert STEPS.secret_answers == ("latitude", "longitude", "contact_name", "contact_phone")
    assert STEPS.sealed_answers == ("latitude", "longitude")


def test_summary_lines_and_export_columns_follow_the_table():
    _, state = walk()
    labels = [EN(spec.summary.label) for spec in STEPS if spec.summary is not None]
    assert summary_labels(state.answers) == labels
    exports = [spec.export for spec in STEPS if spec.export is not None and not spec.secret]
    assert answer_keys() == [column.key for column in exports]
    assert [header for _, header in columns(True)][-2:] == [
        STEPS[Step.CONTACT_NAME].export.header, STEPS[Step.CONTACT_PHONE].export.header]


def test_a_step_moved_in_the_table_moves_in_the_form_the_prompt_and_the_summary(moved_table):
    asked, state = walk()
    assert asked.index(Step.SUSPECT_COMPANY) == asked.index(Step.SUSPECT_NAME) - 1
    labels = summary_labels(state.answers)
    assert labels.index("Agency (as told)") == labels.index("Reported person's name") - 1
    assert "Company or agency" not in labels
    at_company = FormState(Step.SUSPECT_COMPANY, state.answers, (Step.SUSPECT_SOCIAL,))
    reply = view.prompt(EN, 1, at_company, REGIONS, max_files=10, max_mb=20)[0]
    assert "Which agency sent them?" in reply.text
    assert "Already filled in: PT Maju Jaya" in reply.text     # keep: from the table too


async def test_a_step_moved_in_the_table_moves_in_the_export(moved_table, session):
    await make_report(session, created_at=utc(2026, 11, 10, 3, 0), case_number="LPG-2611-STEP1",
                      suspect_name="Pak Joko", suspect_company="PT Maju Jaya")
    await session.commit()
    keys = answer_keys()
    assert keys.index("suspect_company") == keys.index("suspect_name") - 1
    out = io.BytesIO()
    await write_csv(session, out, date_range=DateRange(date(2026, 11, 1), date(2026, 11, 30)))
    header, row = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig")),
                                  delimiter=";"))[:2]
    assert header.index("Agency named by the reporter") == header.index("Reported person") - 1
    cells = dict(zip(header, row))
    assert cells["Agency named by the reporter"] == "PT Maju Jaya"
    assert cells["Reported person"] == "Pak Joko"
