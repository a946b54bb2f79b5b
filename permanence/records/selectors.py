"""Reads for the retention schedule: the period in force, each record's retention computed from its events, and
the records due for disposal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q

from permanence.adopters import rules as household_rules
from permanence.adopters.models import Enquiry, Household
from permanence.children import rules as child_rules
from permanence.children.models import Child, JourneyEvent
from permanence.organisations.models import Organisation
from permanence.records import rules
from permanence.records.models import DisposedRecord, RetentionPeriod

KINDS = {"child": Child, "household": Household, "enquiry": Enquiry}
KIND_LABELS = {"child": "Child", "household": "Prospective adopters", "enquiry": "Enquiry"}


def period_in_force(raa: Organisation | None, category: str, on: date) -> tuple[int, str]:
    """(years, source) of the period for this RAA's records of this category on a date: the RAA's own row in
    force, else the installation's row, else the default in rules.CATEGORIES."""
    rows = RetentionPeriod.objects.filter(category=category, effective_from__lte=on)
    for row in (rows.filter(raa=raa).first() if raa else None, rows.filter(raa__isnull=True).first()):
        if row is not None:
            return row.years, row.source
    default = rules.CATEGORIES[category]
    return default.years, default.source


def schedule(raa: Organisation, on: date) -> list[dict]:
    """The schedule as it stands for this RAA on a date: each category with its period and where it comes from."""
    out = []
    for category in rules.CATEGORIES.values():
        years, source = period_in_force(raa, category.code, on)
        out.append({"category": category, "years": years, "source": source})
    return out


def periods_set(raa: Organisation, category: str):
    """The periods set for this category, the RAA's own and the installation's, the latest first."""
    return (RetentionPeriod.objects.filter(category=category).filter(Q(raa=raa) | Q(raa__isnull=True))
            .select_related("created_by").order_by("-effective_from", "-pk"))


@dataclass(frozen=True)
class DueRow:
    kind: str  # "child", "household", "enquiry"
    pk: int
    reference: str
    retention: rules.Retention

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _disposed(kind: str) -> set[str]:
    return set(
        DisposedRecord.objects.filter(object_type=KINDS[kind]._meta.label_lower).values_list(
            "object_id", flat=True
        )
    )


def child_retention(child: Child, periods) -> rules.Retention | None:
    return _child_retentions([child], periods).get(child.pk)


def _child_retentions(children, periods) -> dict[int, rules.Retention]:
    ids = [c.pk for c in children]
    dates: dict[int, dict[str, date]] = defaultdict(dict)
    for row in (
        JourneyEvent.objects.filter(
            child_id__in=ids,
            superseded=False,
            kind__in=[child_rules.Kind.ADOPTION_ORDER.value, child_rules.Kind.PLAN_CHANGED.value],
        )
        .values("child_id", "kind")
        .annotate(last=Max("date"))
    ):
        dates[row["child_id"]][row["kind"]] = row["last"]
    out = {}
    for child in children:
        found = rules.child_category(
            stage=child.stage,
            adoption_order=dates[child.pk].get(child_rules.Kind.ADOPTION_ORDER.value),
            plan_changed=dates[child.pk].get(child_rules.Kind.PLAN_CHANGED.value),
        )
        if found:
            category, anchor = found
            out[child.pk] = rules.retention(category, anchor, periods(category))
    return out


def _household_retentions(households, periods) -> dict[int, rules.Retention]:
    """Each household's retention, from the dates its journey closed with: one query (the adopter measures'
    milestones, which tests check against replaying the journey), no journey replayed."""
    from permanence.performance.adopter_measures import household_milestones

    households = list(households)
    found = household_milestones(Household.objects.filter(pk__in=[h.pk for h in households]))
    out = {}
    for household in households:
        m = found.get(household.pk)
        if m is None or m.closed is None:
            continue  # still open (a closed journey records nothing after it closed)
        category = rules.household_category(stage=household_rules.Stage.CLOSED.value, close_reason=m.close_reason,
                                            closed=m.closed, decision=m.decision)
        if category:
            out[household.pk] = rules.retention(category[0], category[1], periods(category[0]))
    return out


def household_retention(household: Household, periods) -> rules.Retention | None:
    return _household_retentions([household], periods).get(household.pk)


def enquiry_retention(enquiry: Enquiry, periods) -> rules.Retention | None:
    found = rules.enquiry_category(
        outcome=enquiry.outcome,
        outcome_on=enquiry.outcome_on,
        received_on=enquiry.received_on,
        has_household=enquiry.household_id is not None,
    )
    if not found:
        return None
    category, anchor = found
    return rules.retention(category, anchor, periods(category))


def periods_for(raa: Organisation, on: date):
    """A function category -> years for this RAA on this date (each read once)."""
    cache: dict[str, int] = {}

    def years(category: str) -> int:
        if category not in cache:
            cache[category] = period_in_force(raa, category, on)[0]
        return cache[category]

    return years


def retention_of(kind: str, record, on: date) -> rules.Retention | None:
    """One record's retention (its RAA's periods on this date)."""
    raa = record.la.raa if kind == "child" else record.raa
    periods = periods_for(raa, on)
    if kind == "child":
        return child_retention(record, periods)
    if kind == "household":
        return household_retention(record, periods)
    return enquiry_retention(record, periods)


def due_for_disposal(raa: Organisation, on: date) -> list[DueRow]:
    """The RAA's records past their retention date on `on` and not yet disposed of, the longest overdue first."""
    periods = periods_for(raa, on)
    rows: list[DueRow] = []
    gone = _disposed("child")
    children = [
        c
        for c in Child.objects.filter(la__raa=raa)
        .filter(
            Q(stage=child_rules.Stage.PLAN_CHANGED.value)
            | Q(events__kind=child_rules.Kind.ADOPTION_ORDER.value, events__superseded=False)
        )
        .distinct()
        if str(c.pk) not in gone
    ]
    for pk, kept in _child_retentions(children, periods).items():
        if kept.is_due(on):
            rows.append(DueRow("child", pk, f"P{pk:06d}", kept))
    gone = _disposed("household")
    households = [
        h
        for h in Household.objects.filter(raa=raa, stage=household_rules.Stage.CLOSED.value)
        if str(h.pk) not in gone
    ]
    for pk, kept in _household_retentions(households, periods).items():
        if kept.is_due(on):
            rows.append(DueRow("household", pk, f"H{pk:06d}", kept))
    gone = _disposed("enquiry")
    for enquiry in Enquiry.objects.filter(raa=raa, household__isnull=True).exclude(
        outcome__in=[Enquiry.Outcome.OPEN, Enquiry.Outcome.ROI_RECEIVED]
    ):
        if str(enquiry.pk) in gone:
            continue
        kept = enquiry_retention(enquiry, periods)
        if kept and kept.is_due(on):
            rows.append(DueRow("enquiry", enquiry.pk, f"E{enquiry.pk:06d}", kept))
    return sorted(rows, key=lambda r: (r.retention.due_on, r.kind, r.pk))


def disposed_of(raa: Organisation):
    return DisposedRecord.objects.filter(raa=raa).select_related("disposed_by")
