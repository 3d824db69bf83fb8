"""The job-offer check: eight yes/no questions, the red flags of nonprocedural
recruitment, and a verdict. Pure: the answers so far travel in the buttons (``"yyn"``),
so nothing of them is ever stored; only the verdict is counted."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.engine.i18n import N_


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class RedFlag:
    key: str
    question: str        # msgid; "yes" is the red flag
    why: str             # msgid: shown in the verdict when answered yes
    severe: bool         # one severe flag alone makes the risk high


FLAGS: tuple[RedFlag, ...] = (
    RedFlag("no_licence",
            N_("Did the recruiter refuse or fail to show the company's SIP3MI licence and NIB?"),
            N_("A company that places workers abroad must hold a SIP3MI licence and an NIB, "
               "and you may ask to see them."), False),
    RedFlag("social_only",
            N_("Can you reach the recruiter only through Facebook or WhatsApp, with no "
               "office you can visit?"),
            N_("A licensed recruiter has an office you can visit."), False),
    RedFlag("fees",
            N_("Were you asked to pay a placement, training or 'guarantee' fee?"),
            N_("For ten informal jobs, placement costs may not be charged to the worker "
               "(see /info)."),
            False),
    RedFlag("fast_departure",
            N_("Were you promised departure within two weeks?"),
            N_("The legal route (selection, medical check, work visa, pre-departure "
               "orientation) usually takes longer than that."), False),
    RedFlag("wrong_visa",
            N_("Will you travel on a tourist, visit or umrah visa?"),
            N_("Working abroad needs a work visa; a tourist, visit or umrah visa is not for "
               "work."), True),
    RedFlag("documents_held",
            N_("Is the recruiter holding your passport or ID card?"),
            N_("Keeping someone's passport or ID is a warning sign of trafficking."), True),
    RedFlag("domestic_middle_east",
            N_("Is the job domestic work in a Middle East country?"),
            N_("Placing domestic workers with private households in Middle East countries "
               "has been stopped since 2015 (Kepmenaker 260/2015)."), True),
    RedFlag("too_good",
            N_("Is it high pay without any qualifications, or online work in Cambodia, "
               "Myanmar or Laos?"),
            N_("Such offers often end in online scams and trafficking."), True),
)
HIGH_AT = 3          # this many flags of any kind also make the risk high


def valid_answers(answers: str) -> bool:
    """What a button may carry: y/n for the questions answered so far, no more."""
    return len(answers) <= len(FLAGS) and set(answers) <= {"y", "n"}


def finished(answers: str) -> bool:
    return len(answers) == len(FLAGS)


def raised_flags(answers: str) -> list[RedFlag]:
    return [flag for flag, answer in zip(FLAGS, answers) if answer == "y"]


def verdict(answers: str) -> Risk:
    """Any severe flag, or three flags, is high; one or two is medium; none is low."""
    flags = raised_flags(answers)
    if any(flag.severe for flag in flags) or len(flags) >= HIGH_AT:
        return Risk.HIGH
    return Risk.MEDIUM if flags else Risk.LOW
