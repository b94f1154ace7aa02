"""The questionnaires (instruments) as data, and how each is scored.

An instrument is a code, a version and a list of items. Each item is a dict:
    {"code": "who5_1", "text": <English msgid>, "kind": "choice", "choices": [[5, <msgid>], ...]}
or  {"code": "people", "text": <msgid>, "kind": "number", "min": 0, "max": 30}
Texts are msgids, shown translated. A new wording or a new item is a new version (a row of
its own): answers given to the old version keep their meaning. New instruments are added by a
data migration with their definition here, and a scorer below.

The score is what the KPIs and the evaluator tables use:
- WHO-5: the sum of five items 0–5, times 4 (0–100);
- benefit: 3 a great deal, 2 somewhat, 1 a little, 0 not at all;
- work/education status: 1 when in work (also part-time or flex job) or in education, else 0;
- school level: 1 better, 0 the same, -1 worse;
- social network: the number of people the parent can turn to;
- belief in own abilities: 1 (not at all) to 5 (completely).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_noop as N_

WHO5, BENEFIT, WORK, SCHOOL, NETWORK, BELIEF = (
    "who5", "benefit", "work_status", "school_level", "network", "belief")

_FREQUENCY = [[5, N_("All of the time")], [4, N_("Most of the time")],
              [3, N_("More than half of the time")], [2, N_("Less than half of the time")],
              [1, N_("Some of the time")], [0, N_("At no time")]]

# Work statuses that count as attached to work or education.
ATTACHED = ("employed", "part_time", "education")

DEFINITIONS: list[dict] = [
    {"code": WHO5, "version": 1, "subject": "parent", "name": N_("WHO-5 well-being index"),
     "items": [
         {"code": f"who5_{i}", "text": text, "kind": "choice", "choices": _FREQUENCY}
         for i, text in enumerate([
             N_("Over the last two weeks I have felt cheerful and in good spirits"),
             N_("Over the last two weeks I have felt calm and relaxed"),
             N_("Over the last two weeks I have felt active and vigorous"),
             N_("Over the last two weeks I woke up feeling fresh and rested"),
             N_("Over the last two weeks my daily life has been filled with things that "
                "interest me"),
         ], start=1)]},
    {"code": BENEFIT, "version": 1, "subject": "parent", "name": N_("Benefit of the engagement"),
     "items": [{"code": "benefit", "kind": "choice",
                "text": N_("How much has the engagement helped you?"),
                "choices": [[3, N_("A great deal")], [2, N_("Somewhat")], [1, N_("A little")],
                            [0, N_("Not at all")]]}]},
    {"code": WORK, "version": 1, "subject": "parent", "name": N_("Work or education"),
     "items": [{"code": "status", "kind": "choice", "text": N_("What do you do now?"),
                # The same values and wording as households.WorkStatus.
                "choices": [["employed", N_("In work")],
                            ["part_time", N_("In part-time or flex job")],
                            ["education", N_("In education")],
                            ["unemployed", N_("Unemployed, job-ready")],
                            ["activation", N_("On cash benefit, not job-ready")],
                            ["sick_leave", N_("On sick leave")],
                            ["parental_leave", N_("On parental leave")],
                            ["pension", N_("On early retirement pension")],
                            ["other", N_("Other")]]}]},
    {"code": SCHOOL, "version": 1, "subject": "child", "name": N_("School level of the child"),
     "items": [
         {"code": "level", "kind": "choice",
          "text": N_("Compared with the start of the engagement, how is the child doing at "
                     "school?"),
          "choices": [[1, N_("Better")], [0, N_("The same")], [-1, N_("Worse")]]},
         {"code": "judged_by", "kind": "choice", "text": N_("Who judges this?"),
          "choices": [["parent", N_("The parent")], ["school", N_("The school")]]},
     ]},
    {"code": NETWORK, "version": 1, "subject": "parent", "name": N_("Social network"),
     "items": [{"code": "people", "kind": "number", "min": 0, "max": 50,
                "text": N_("How many people can you turn to if you need help or someone to "
                           "talk to?")}]},
    {"code": BELIEF, "version": 1, "subject": "parent", "name": N_("Belief in own abilities"),
     "items": [{"code": "belief", "kind": "choice",
                "text": N_("I believe I can reach my goals for work or education"),
                "choices": [[5, N_("Completely")], [4, N_("Mostly")], [3, N_("Partly")],
                            [2, N_("A little")], [1, N_("Not at all")]]}]},
]


def _who5(answers: dict) -> int:
    return 4 * sum(int(answers[f"who5_{i}"]) for i in range(1, 6))


SCORERS: dict[str, Callable[[dict], int]] = {
    WHO5: _who5,
    BENEFIT: lambda a: int(a["benefit"]),
    WORK: lambda a: 1 if a["status"] in ATTACHED else 0,
    SCHOOL: lambda a: int(a["level"]),
    NETWORK: lambda a: int(a["people"]),
    BELIEF: lambda a: int(a["belief"]),
}


class AnswerError(ValueError):
    """An answer that does not fit the instrument (missing, unknown choice, out of range)."""

    def __init__(self, item: str, message: str):
        super().__init__(message)
        self.item = item
        self.message = message


def validate_answers(items: list[dict], raw: dict) -> dict:
    """The answers normalised to the items' value types; AnswerError on the first bad one.
    Extra keys are ignored."""
    clean = {}
    for item in items:
        value = raw.get(item["code"])
        if value is None or value == "":
            raise AnswerError(item["code"], N_("Answer every question."))
        if item["kind"] == "number":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise AnswerError(item["code"], N_("Enter a whole number.")) from None
            if not item["min"] <= number <= item["max"]:
                raise AnswerError(item["code"], N_("The answer is out of range."))
            clean[item["code"]] = number
        else:
            allowed = {str(choice[0]): choice[0] for choice in item["choices"]}
            if str(value) not in allowed:
                raise AnswerError(item["code"], N_("The answer is out of range."))
            clean[item["code"]] = allowed[str(value)]
    return clean


def score(code: str, answers: dict) -> int:
    return SCORERS[code](answers)
