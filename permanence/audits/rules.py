"""Case-file audits: the pure part. No Django, no clock: dates and facts are parameters.

- The checklist's shape as read from YAML (`parse_checklist`), with its errors in words.
- The auto-fill rules: a criterion or a section of the template names one of RULES; each is a function of the
  child's recorded journey (`ChildFacts`) returning an `Answer` (the value, or None when the journey cannot
  say, and the evidence in words).
- The sample: reproducible (a stored seed) and stratified (n per stratum).
- The results: means per criterion and per section, with n, by group and by LA; presence as a share present.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from permanence.timescales.rules import add_period, describe_period, working_days_between

SCORES = (1, 2, 3, 4, 5)
SCORE_LABELS = {1: "Very poor", 2: "Poor", 3: "OK", 4: "Good", 5: "Excellent"}
LIKERT, YES_NO = "likert", "yes_no"
SCALES = {LIKERT: "1 very poor to 5 excellent", YES_NO: "No (1) or Yes (5)"}
YES_NO_SCORES = {1: "No", 5: "Yes"}
ONE_PLACE = Decimal("0.1")

# Groups of seed 000: the test group (the RAA held the case) and the control group (the LA kept it).
RAA_HELD, LA_KEPT = "raa_held", "la_kept"
GROUP_LABELS = {RAA_HELD: "Case held by the RAA", LA_KEPT: "Case kept by the LA"}
STRATIFY_LA, STRATIFY_GROUP = "la", "group"
STRATIFY_LABELS = {STRATIFY_LA: "Local authority", STRATIFY_GROUP: "Case-holding model (RAA held or LA kept)"}


def score_choices(scale: str) -> dict[int, str]:
    return YES_NO_SCORES if scale == YES_NO else SCORE_LABELS


# ---------------------------------------------------------------------------------------------
# The template as data


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    number: str
    title: str
    guidance: str = ""
    scale: str = LIKERT
    rule: str = ""


@dataclass(frozen=True)
class SectionSpec:
    key: str
    number: str
    title: str
    presence: bool
    presence_rule: str = ""
    criteria: tuple[CriterionSpec, ...] = ()


@dataclass(frozen=True)
class ChecklistSpec:
    version: int
    title: str
    valid_from: date
    source: str
    sections: tuple[SectionSpec, ...]


class ChecklistError(ValueError):
    pass


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def parse_checklist(data: Mapping) -> ChecklistSpec:
    """The checklist from its YAML (already loaded), or ChecklistError saying what is wrong."""
    problems: list[str] = []
    try:
        version = int(data["version"])
        title = _text(data["title"])
        valid_from = data["valid_from"]
        if isinstance(valid_from, str):
            valid_from = date.fromisoformat(valid_from)
        raw_sections = data["sections"]
    except (KeyError, TypeError, ValueError) as err:
        raise ChecklistError(f"The checklist needs version, title, valid_from and sections ({err!r})") from err
    if not title:
        problems.append("Give the checklist a title")
    sections: list[SectionSpec] = []
    section_keys: set[str] = set()
    for i, s in enumerate(raw_sections or [], start=1):
        key = _text(s.get("key"))
        if not key or key in section_keys:
            problems.append(f"Section {i} needs a key of its own")
        section_keys.add(key)
        presence_rule = _text(s.get("presence_rule"))
        if presence_rule and presence_rule not in PRESENCE_RULES:
            problems.append(f"Section {key}: there is no presence rule called {presence_rule}")
        criteria: list[CriterionSpec] = []
        keys: set[str] = set()
        for j, c in enumerate(s.get("criteria") or [], start=1):
            ckey = _text(c.get("key"))
            if not ckey or ckey in keys:
                problems.append(f"Section {key}, criterion {j} needs a key of its own")
            keys.add(ckey)
            scale = _text(c.get("scale")) or LIKERT
            if scale not in SCALES:
                problems.append(f"Criterion {key}.{ckey}: the scale must be likert or yes_no")
            rule = _text(c.get("rule"))
            if rule and rule not in SCORE_RULES:
                problems.append(f"Criterion {key}.{ckey}: there is no score rule called {rule}")
            if not _text(c.get("title")):
                problems.append(f"Criterion {key}.{ckey} needs a title")
            criteria.append(CriterionSpec(key=ckey, number=_text(c.get("number")) or f"{i}.{j}",
                                          title=_text(c.get("title")), guidance=_text(c.get("guidance")),
                                          scale=scale, rule=rule))
        if not criteria:
            problems.append(f"Section {key} needs at least one criterion")
        if not _text(s.get("title")):
            problems.append(f"Section {key} needs a title")
        sections.append(SectionSpec(key=key, number=_text(s.get("number")) or str(i), title=_text(s.get("title")),
                                    presence=bool(s.get("presence", False)), presence_rule=presence_rule,
                                    criteria=tuple(criteria)))
    if not sections:
        problems.append("The checklist needs at least one section")
    if problems:
        raise ChecklistError("; ".join(problems))
    return ChecklistSpec(version=version, title=title, valid_from=valid_from, source=_text(data.get("source")),
                         sections=tuple(sections))


# ---------------------------------------------------------------------------------------------
# Auto-fill from the recorded journey


@dataclass(frozen=True)
class Period:
    """A timescale in force: `amount unit` after the start (timescales.Timescale, as a fact)."""

    amount: int
    unit: str
    key: str = ""


@dataclass(frozen=True)
class ChildFacts:
    """What the rules may look at: the dates of the child's events in force, by kind (the first of each, as
    the journey allows most of these once), the timescales in force on the adoption order's date, and the
    day of the audit."""

    events: Mapping[str, date]
    audited_on: date
    timescales: Mapping[str, Period] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    value: int | bool | None  # a score, presence (True), or None: the journey cannot say
    evidence: str


def _d(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _handed_in_time(event: str, what: str, timescale_key: str) -> Callable[[ChildFacts], Answer]:
    """Yes (5) if handed over by the due date counted from the adoption order under the timescale in force,
    No (1) if handed over later or not at all once the due date has passed; None before then."""

    def rule(facts: ChildFacts) -> Answer:
        ao = facts.events.get("adoption_order")
        period = facts.timescales.get(timescale_key)
        if ao is None:
            return Answer(None, "No adoption order is recorded, so the timeliness cannot be worked out.")
        if period is None:
            return Answer(None, f"No timescale '{timescale_key}' was in force on the adoption order's date.")
        due = add_period(ao, period.amount, period.unit)
        within = f"within {describe_period(period.amount, period.unit)} of the adoption order of {_d(ao)}"
        handed = facts.events.get(event)
        if handed is not None:
            late = handed > due
            gap = ""
            if handed >= ao and period.unit == "working_days":
                gap = f", {working_days_between(ao, handed)} working days after the order"
            elif handed >= ao:
                gap = f", {(handed - ao).days} days after the order"
            verdict = "later than due" if late else "in time"
            return Answer(1 if late else 5, f"The {what} was recorded as handed over on {_d(handed)}{gap}: "
                                            f"{verdict} (due {within}, by {_d(due)}).")
        if facts.audited_on > due:
            return Answer(1, f"The {what} is not recorded as handed over, and was due {within}, by {_d(due)}.")
        return Answer(None, f"The {what} is not recorded as handed over yet; it is due {within}, by {_d(due)}.")

    return rule


def _recorded(event: str, what: str) -> Callable[[ChildFacts], Answer]:
    def rule(facts: ChildFacts) -> Answer:
        day = facts.events.get(event)
        if day is None:
            return Answer(None, f"The journey has no record of the {what}: check the file.")
        return Answer(True, f"The journey records the {what} on {_d(day)}.")

    return rule


def _cpr_behind_decision(facts: ChildFacts) -> Answer:
    """The agency decision that the child should be placed for adoption is made on the CPR (AAR 2005 reg. 17
    and 19): a recorded decision (or placement order) means a CPR was written."""
    for kind, label in (("should_be_placed", "the decision that the child should be placed for adoption"),
                        ("placement_order", "the placement order")):
        day = facts.events.get(kind)
        if day is not None:
            return Answer(True, f"The journey records {label} on {_d(day)}, which is made on the CPR "
                                "(Adoption Agencies Regulations 2005, regs. 17 and 19).")
    return Answer(None, "The journey records no should-be-placed decision or placement order: check the file.")


SCORE_RULES: dict[str, Callable[[ChildFacts], Answer]] = {
    "life_story_book_in_time": _handed_in_time("life_story_book", "life story book", "life_story_book"),
    "later_life_letter_in_time": _handed_in_time("later_life_letter", "later life letter", "later_life_letter"),
}
PRESENCE_RULES: dict[str, Callable[[ChildFacts], Answer]] = {
    "life_story_book_recorded": _recorded("life_story_book", "life story book being handed to the adopters"),
    "later_life_letter_recorded": _recorded("later_life_letter", "later life letter being handed to the adopters"),
    "apr_recorded": _recorded("adoption_placement_report", "adoption placement report being completed"),
    "cpr_behind_decision": _cpr_behind_decision,
}
RULE_EVENTS = ("adoption_order", "life_story_book", "later_life_letter", "adoption_placement_report",
               "should_be_placed", "placement_order")
RULE_TIMESCALES = ("life_story_book", "later_life_letter")


def auto_answer(rule: str, facts: ChildFacts, *, presence: bool = False) -> Answer | None:
    if not rule:
        return None
    return (PRESENCE_RULES if presence else SCORE_RULES)[rule](facts)


def first_dates(events: Iterable[tuple[str, date]]) -> dict[str, date]:
    """{kind: the earliest date} of (kind, date) pairs."""
    out: dict[str, date] = {}
    for kind, day in events:
        if kind not in out or day < out[kind]:
            out[kind] = day
    return out


# ---------------------------------------------------------------------------------------------
# The sample


@dataclass(frozen=True)
class Candidate:
    id: int
    stratum: str


def draw_sample(candidates: Sequence[Candidate], *, per_stratum: int, seed: int) -> list[Candidate]:
    """Up to `per_stratum` candidates of each stratum, drawn at random but reproducibly: the same candidates and
    seed give the same sample, whatever order they come in. Each stratum has its own generator (seeded from
    the seed and the stratum), so adding a stratum leaves the others' draws alone."""
    if per_stratum < 1:
        raise ValueError("Draw at least one case per stratum")
    strata: dict[str, list[int]] = {}
    for c in candidates:
        strata.setdefault(c.stratum, []).append(c.id)
    out: list[Candidate] = []
    for stratum in sorted(strata):
        ids = sorted(set(strata[stratum]))
        rng = random.Random(f"{seed}:{stratum}")  # noqa: S311 - a sample, not a secret
        out.extend(Candidate(i, stratum) for i in sorted(rng.sample(ids, min(per_stratum, len(ids)))))
    return out


# ---------------------------------------------------------------------------------------------
# Results


def mean_of(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Cell:
    n: int
    mean: Decimal | None = None

    @property
    def label(self) -> str:
        return "No scores" if self.mean is None else f"{self.mean}"


@dataclass(frozen=True)
class PresenceCell:
    n: int  # files where presence was answered
    present: int

    @property
    def percent(self) -> int | None:
        if not self.n:
            return None
        return int((Decimal(100 * self.present) / self.n).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def label(self) -> str:
        return "Not answered" if not self.n else f"{self.present} of {self.n} ({self.percent}%)"


@dataclass(frozen=True)
class AuditRow:
    """One completed audit as the results see it: its group, LA, round, scores {(section, criterion): score or
    None} and presence {section: True, False or None}."""

    group: str
    la: str
    scores: Mapping[tuple[str, str], int | None]
    presence: Mapping[str, bool | None] = field(default_factory=dict)
    round: int = 0


def _scores(rows: Iterable[AuditRow], key: tuple[str, str]) -> list[int]:
    return [r.scores[key] for r in rows if r.scores.get(key) is not None]


def criterion_cell(rows: Sequence[AuditRow], section: str, criterion: str) -> Cell:
    values = _scores(rows, (section, criterion))
    return Cell(len(values), mean_of(values))


def section_cell(rows: Sequence[AuditRow], section: str, criteria: Sequence[str]) -> Cell:
    """Every score given to the section's criteria, pooled (n counts scores, not files)."""
    values = [v for c in criteria for v in _scores(rows, (section, c))]
    return Cell(len(values), mean_of(values))


def presence_cell(rows: Sequence[AuditRow], section: str) -> PresenceCell:
    answers = [r.presence.get(section) for r in rows if r.presence.get(section) is not None]
    return PresenceCell(len(answers), sum(1 for a in answers if a))


def split(rows: Sequence[AuditRow], by: str) -> dict[str, list[AuditRow]]:
    """The rows per group ('group') or per LA ('la'), keys sorted (the groups in GROUP_LABELS' order)."""
    out: dict[str, list[AuditRow]] = {}
    if by == STRATIFY_GROUP:
        out = {g: [] for g in GROUP_LABELS}
    for r in rows:
        out.setdefault(r.group if by == STRATIFY_GROUP else r.la, []).append(r)
    return out if by == STRATIFY_GROUP else dict(sorted(out.items()))


def bar_percent(mean: Decimal | None) -> int:
    """A bar's length on the 1–5 scale: 1 is the shortest visible bar, 5 the whole width."""
    if mean is None:
        return 0
    return int(Decimal(100) * mean / 5)
