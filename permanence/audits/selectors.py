"""Reads for the audits: what the journey says about a child (for the auto-fill), the children a round may draw
from, the completed audits as result rows, and the results laid out like seed 000's tables 2–6."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from permanence.audits import rules
from permanence.audits.models import AuditRound, CaseAudit, ChecklistSection, ChecklistVersion
from permanence.children import rules as child_rules
from permanence.children.models import Child, JourneyEvent
from permanence.children.services import event_facts, policies_for
from permanence.timescales.selectors import timescales_in_force


def child_facts(child: Child, audited_on: date) -> rules.ChildFacts:
    events = rules.first_dates((str(e.kind), e.date) for e in event_facts(child) if str(e.kind) in rules.RULE_EVENTS)
    ao = events.get("adoption_order")
    periods = {}
    if ao is not None:
        periods = {t.key: rules.Period(t.amount, t.unit, t.key) for t in timescales_in_force(ao)
                   if t.key in rules.RULE_TIMESCALES}
    return rules.ChildFacts(events=events, audited_on=audited_on, timescales=periods)


@dataclass(frozen=True)
class AutoAnswers:
    scores: dict[tuple[str, str], rules.Answer]
    presence: dict[str, rules.Answer]


def auto_answers(version: ChecklistVersion, facts: rules.ChildFacts) -> AutoAnswers:
    scores, presence = {}, {}
    for section in version.sections.prefetch_related("criteria"):
        if section.asks_presence and section.presence_rule:
            presence[section.key] = rules.auto_answer(section.presence_rule, facts, presence=True)
        for c in section.criteria.all():
            if c.rule:
                scores[(section.key, c.key)] = rules.auto_answer(c.rule, facts)
    return AutoAnswers(scores, presence)


def group_of(child: Child) -> str:
    """RAA_HELD if the RAA held the child's case at any time (the test group of seed 000), else LA_KEPT."""
    periods = child_rules.holder_periods(event_facts(child), policies_for(child.la), child.date_of_birth)
    return rules.RAA_HELD if any(p.side == child_rules.RAA for p in periods) else rules.LA_KEPT


@dataclass(frozen=True)
class Drawable:
    child: Child
    adoption_order: date
    group: str

    def stratum(self, by: str) -> str:
        return self.child.la.name if by == rules.STRATIFY_LA else rules.GROUP_LABELS[self.group]


def drawable_children(raa, orders_from: date, orders_to: date | None) -> list[Drawable]:
    """The RAA's member LAs' children with an adoption order (in force) in the dates, with their group."""
    rows = JourneyEvent.objects.filter(kind=child_rules.Kind.ADOPTION_ORDER, superseded=False,
                                       child__la__raa=raa, date__gte=orders_from)
    if orders_to is not None:
        rows = rows.filter(date__lte=orders_to)
    firsts: dict[int, date] = {}
    for child_id, day in rows.order_by("date").values_list("child_id", "date"):
        firsts.setdefault(child_id, day)
    children = Child.objects.filter(pk__in=list(firsts)).select_related("la").prefetch_related("la__policies")
    return [Drawable(c, firsts[c.pk], group_of(c)) for c in children.order_by("pk")]


def audit_rows(rounds) -> list[rules.AuditRow]:
    """Every completed audit of these rounds, as the results see it."""
    audits = (CaseAudit.objects.filter(entry__round__in=list(rounds)).select_related("la", "entry")
              .prefetch_related("scores__criterion__section", "sections__section"))
    return [rules.AuditRow(
        group=a.group, la=a.la.name, round=a.entry.round_id,
        scores={(s.criterion.section.key, s.criterion.key): s.score for s in a.scores.all()},
        presence={s.section.key: s.present for s in a.sections.all() if s.section.asks_presence})
        for a in audits]


# ---------------------------------------------------------------------------------------------
# The results, laid out per section like seed 000's tables 2–6


@dataclass
class ResultRow:
    label: str
    number: str
    cells: list  # a Cell or PresenceCell per column
    overall: object
    kind: str  # "presence", "criterion" or "section"


@dataclass
class SectionTable:
    section: ChecklistSection
    rows: list[ResultRow]


def results(version: ChecklistVersion, audit_list: list[rules.AuditRow], by: str) -> tuple[list[str], list]:
    """(column labels, a SectionTable per section): per criterion the mean and n of each group (or LA), the
    section's pooled mean, and presence as the share of files where it was found."""
    columns = rules.split(audit_list, by)
    labels = [rules.GROUP_LABELS.get(k, k) for k in columns]
    tables = []
    for section in version.sections.prefetch_related("criteria"):
        criteria = list(section.criteria.all())
        keys = [c.key for c in criteria]
        rows = []
        if section.asks_presence:
            rows.append(ResultRow("Presence", "", [rules.presence_cell(v, section.key) for v in columns.values()],
                                  rules.presence_cell(audit_list, section.key), "presence"))
        for c in criteria:
            rows.append(ResultRow(c.title, c.number,
                                  [rules.criterion_cell(v, section.key, c.key) for v in columns.values()],
                                  rules.criterion_cell(audit_list, section.key, c.key), "criterion"))
        rows.append(ResultRow("Section mean (every score pooled)", "",
                              [rules.section_cell(v, section.key, keys) for v in columns.values()],
                              rules.section_cell(audit_list, section.key, keys), "section"))
        tables.append(SectionTable(section, rows))
    return labels, tables


@dataclass
class TrendRow:
    round: AuditRound
    audits: int
    cells: list  # a Cell per section key of `sections`


def trend(rounds: list[AuditRound]) -> tuple[list[tuple[str, str]], list[TrendRow]]:
    """Each section's pooled mean in each round, oldest round first. Sections are matched by key, so a round
    on another version of the checklist lines up where its sections have the same keys."""
    rounds = sorted(rounds, key=lambda r: (r.held_on, r.pk))
    sections: dict[str, str] = {}
    criteria: dict[str, list[str]] = {}
    for r in rounds:
        for s in r.version.sections.prefetch_related("criteria"):
            sections.setdefault(s.key, s.title)
            criteria.setdefault(s.key, [])
            criteria[s.key] += [c.key for c in s.criteria.all() if c.key not in criteria[s.key]]
    rows_by_round = {}
    for row in audit_rows(rounds):
        rows_by_round.setdefault(row.round, []).append(row)
    out = []
    for r in rounds:
        rows = rows_by_round.get(r.pk, [])
        out.append(TrendRow(r, len(rows), [rules.section_cell(rows, k, criteria[k]) for k in sections]))
    return list(sections.items()), out
