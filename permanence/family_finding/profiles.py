"""The matching engine's profiles built from the records: a child (or its sibling group placed together) as a
`matching.ChildProfile`, households with their capacity profiles as `matching.HouseholdProfile`s, the RAA's
weights as `matching.Weights`.

Built for whole pools in a fixed, small number of queries (values() and one query per related table, never one
per household): 5,000 households load in the same eight queries as five.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from permanence.adopters import rules as household_rules
from permanence.adopters.models import Applicant, CapacityNeed, Household
from permanence.children import rules as child_rules
from permanence.children.models import Child, ChildNeed, JourneyEvent, SiblingGroup
from permanence.family_finding import fees, matching, postcodes, rules, selectors, sufficiency
from permanence.family_finding.models import ChildMatchingProfile, InterAgencyFee, Link, MatchingWeights
from permanence.organisations.models import Organisation

POOL_STAGES = (household_rules.Stage.APPROVED.value, household_rules.Stage.MATCHED.value)
# Children family finding looks for: from identification (early family finding, before the placement order) to
# the placement order, not yet linked.
WAITING_STAGES = (child_rules.Stage.IDENTIFIED.value, child_rules.Stage.PLAN_FOR_ADOPTION.value,
                  child_rules.Stage.SHOULD_BE_PLACED.value, child_rules.Stage.PLACEMENT_ORDER.value)


def child_key(child_id: int) -> str:
    return f"P{child_id:06d}"


def group_key(group_id: int) -> str:
    return f"S{group_id:06d}"


def household_key(household_id: int) -> str:
    return f"H{household_id:06d}"


def key_id(key: str) -> int:
    """The record id in a profile's key (P000012, S000003, H000045)."""
    return int(key[1:])


# ---------------------------------------------------------------------------------------------
# Weights and fees


@dataclass(frozen=True)
class WeightsInForce:
    row: MatchingWeights | None
    weights: matching.Weights
    cap: int | None


def weights_for(raa: Organisation, on: date) -> WeightsInForce:
    """The RAA's latest weights valid on `on`; else Permanence's defaults row; else the engine's defaults."""
    rows = MatchingWeights.objects.filter(valid_from__lte=on)
    row = rows.filter(raa=raa).first() or rows.filter(raa__isnull=True).first() or \
        MatchingWeights.objects.filter(raa__isnull=True).first()
    if row is None:
        return WeightsInForce(None, matching.DEFAULT_WEIGHTS, None)
    weights = matching.Weights(version=row.version, source=row.source, valid_from=row.valid_from,
                               points=row.weights, scales={**matching.DEFAULT_SCALES, **row.scales})
    return WeightsInForce(row, weights, row.cap)


def fee_rates() -> list[fees.FeeRate]:
    return [row.as_fact() for row in InterAgencyFee.objects.all()]


def inter_agency_fee(rates: list[fees.FeeRate], agency_kind: str, children: int, postcode: str,
                     on: date) -> int | None:
    """The fee for placing `children` with a household of another agency (None for the RAA's own, or when a
    rate it needs is not recorded). London's weighting follows the household's postcode area."""
    if agency_kind == "own_raa":
        return None
    rate = fees.rate_for(rates, fees.VAA if agency_kind == "vaa" else fees.LA_RAA, on)
    if rate is None:
        return None
    return fees.fee(rate, children, london=postcodes.area_of(postcode or "") in fees.LONDON_AREAS)


# ---------------------------------------------------------------------------------------------
# Children


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(",") if x.strip())


def units_of(children: Iterable[Child]) -> list[list[int]]:
    """The children as the units matched: a sibling group placed together is one unit (all its children, even
    those not in `children`), any other child a unit of its own. In a stable order."""
    children = list(children)
    groups = {c.sibling_group_id for c in children if c.sibling_group_id}
    together = set(SiblingGroup.objects.filter(pk__in=groups, plan=SiblingGroup.Plan.TOGETHER)
                   .values_list("pk", flat=True))
    members: dict[int, list[int]] = defaultdict(list)
    for pk, group in Child.objects.filter(sibling_group__in=together).order_by("pk").values_list(
            "pk", "sibling_group_id"):
        members[group].append(pk)
    units, seen = [], set()
    for c in sorted(children, key=lambda c: c.pk):
        if c.sibling_group_id in together:
            if c.sibling_group_id not in seen:
                seen.add(c.sibling_group_id)
                units.append(members[c.sibling_group_id])
        else:
            units.append([c.pk])
    return units


def child_profiles(children: Iterable[Child], on: date) -> list[matching.ChildProfile]:
    """One profile per unit (units_of): a child alone, or its sibling group placed together combined (every
    need at its highest level in the group, every location rule of any of them)."""
    units = units_of(children)
    ids = [pk for unit in units for pk in unit]
    rows = {r["pk"]: r for r in Child.objects.filter(pk__in=ids).values(
        "pk", "date_of_birth", "expected_date_of_birth", "sex", "ethnicity", "la__code", "la__raa__code", "po_date",
        "sibling_group_id")}
    needs: dict[int, dict[str, str]] = defaultdict(dict)
    for r in ChildNeed.objects.filter(child_id__in=ids).values("child_id", "category__code", "level"):
        needs[r["child_id"]][r["category__code"]] = r["level"]
    profiles = {p.child_id: p for p in ChildMatchingProfile.objects.filter(child_id__in=ids)
                .select_related("birth_family_la", "child__la")}
    avoid: dict[int, set[str]] = defaultdict(set)
    for r in ChildMatchingProfile.avoid_las.through.objects.filter(childmatchingprofile__child_id__in=ids).values(
            "childmatchingprofile__child_id", "organisation__code"):
        avoid[r["childmatchingprofile__child_id"]].add(r["organisation__code"])
    sbp: dict[int, date] = {}
    for r in JourneyEvent.objects.filter(child_id__in=ids, kind=child_rules.Kind.SHOULD_BE_PLACED,
                                         superseded=False).values("child_id", "date"):
        sbp[r["child_id"]] = max(r["date"], sbp.get(r["child_id"], r["date"]))
    return [_child_profile(unit, rows, needs, profiles, avoid, sbp) for unit in units]


def _highest(levels: Iterable[str]) -> str:
    ranked = [lv for lv in levels if lv in matching.LEVEL_RANK]
    return max(ranked, key=matching.LEVEL_RANK.__getitem__) if ranked else ""


def _child_profile(unit: list[int], rows, needs, profiles, avoid, sbp) -> matching.ChildProfile:
    kids = [rows[pk] for pk in unit]
    mps = [profiles[pk] for pk in unit if pk in profiles]
    first = kids[0]
    key = group_key(first["sibling_group_id"]) if len(unit) > 1 else child_key(first["pk"])
    categories = {code for pk in unit for code in needs[pk]}
    not_in_las = {code for pk in unit for code in avoid[pk]}
    for mp in mps:
        if mp.avoid_birth_family_la:
            not_in_las.add((mp.birth_family_la or mp.child.la).code)
    contacts = [mp.contact for mp in mps if mp.contact is not None]
    eps = {mp.early_permanence for mp in mps}
    maxes = [mp.max_distance_miles for mp in mps if mp.max_distance_miles is not None]
    mins = [mp.min_distance_miles for mp in mps if mp.min_distance_miles is not None]
    pos = [k["po_date"] for k in kids if k["po_date"]]
    waits = [sbp[pk] for pk in unit if pk in sbp]
    return matching.ChildProfile(
        key=key, children=len(unit),
        dates_of_birth=tuple(k["date_of_birth"] or k["expected_date_of_birth"] for k in kids
                             if k["date_of_birth"] or k["expected_date_of_birth"]),
        sexes=tuple(k["sex"] for k in kids), ethnicities=tuple(k["ethnicity"] for k in kids),
        religion=next((mp.religion for mp in mps if mp.religion.strip()), ""),
        languages=tuple(dict.fromkeys(x for mp in mps for x in _split_list(mp.languages))),
        needs={code: _highest(needs[pk].get(code, "") for pk in unit) for code in sorted(categories)},
        contact=frozenset().union(*contacts) if contacts else None,
        early_permanence="needed" if "needed" in eps else "possible" if "possible" in eps else "",
        not_in_las=frozenset(not_in_las),
        not_in_places=frozenset(p.strip().upper() for mp in mps for p in mp.avoid_places or [] if p.strip()),
        max_distance_miles=min(maxes) if maxes else None, min_distance_miles=max(mins) if mins else None,
        require_known_distance=any(mp.require_known_distance for mp in mps),
        reference_district=next((mp.reference_district.strip().upper() for mp in mps
                                 if mp.reference_district.strip()), ""),
        la=first["la__code"], raa=first["la__raa__code"] or "",
        waiting_since=min(pos) if pos else (min(waits) if waits else None))


def child_profile(child: Child, on: date) -> matching.ChildProfile:
    """The profile matched for this child: its own, or its sibling group's when they are placed together."""
    return child_profiles([child], on)[0]


def waiting_children(raa: Organisation) -> QuerySet[Child]:
    """The RAA's children family finding looks for (WAITING_STAGES)."""
    return Child.objects.filter(la__raa=raa, stage__in=WAITING_STAGES)


# ---------------------------------------------------------------------------------------------
# Households


def household_pool(raa: Organisation, *, include_inter_agency: bool = False) -> QuerySet[Household]:
    """Approved households (waiting or matched): the RAA's own, and on request every other agency's."""
    qs = Household.objects.filter(stage__in=POOL_STAGES)
    return qs if include_inter_agency else qs.filter(raa=raa)


CAPACITY_VALUES = ("children_min", "children_max", "age_min_years", "age_max_years", "sibling_groups", "sexes",
                   "heritage_open_to_any", "heritages", "religion_openness", "languages", "letterbox_contact",
                   "direct_contact", "sibling_contact", "early_permanence", "max_distance_miles", "on_hold",
                   "needs_parented")


def _status(row: dict) -> str:
    if row["stage"] not in POOL_STAGES:
        return row["stage"]
    if row["capacity__on_hold"]:
        return "on_hold"
    return "paused" if row["paused"] else "approved"


def _link_key(row: dict) -> str:
    return group_key(row["sibling_group_id"]) if row["sibling_group_id"] else child_key(row["child_id"])


def household_profiles(households: QuerySet[Household], on: date, *, searching_raa: Organisation,
                       children: int = 1) -> list[matching.HouseholdProfile]:
    """The households as the engine sees them from `searching_raa` (its own, other RAAs', VAAs'), with their
    open links, links and matches, and their declines within the default weights' decline window. `children`
    is the number placed together, for the inter-agency fee."""
    cap = {f"capacity__{f}": f for f in CAPACITY_VALUES}
    rows = list(households.order_by("pk").values(
        "pk", "raa_id", "raa__code", "raa__kind", "stage", "paused", "approved_on", "postcode", "residence_la__code",
        "previous_adopters", "approved_foster_carers", *cap))
    ids = households.order_by().values("pk")  # a subquery: a list of 5,000 ids costs more to send than to run
    applicants: dict[int, list[dict]] = defaultdict(list)
    for r in Applicant.objects.filter(household_id__in=ids).values("household_id", "ethnicity", "religion",
                                                                    "languages"):
        applicants[r["household_id"]].append(r)
    accepts: dict[int, dict[str, str]] = defaultdict(dict)
    for r in CapacityNeed.objects.filter(profile__household_id__in=ids).values(
            "profile__household_id", "category__code", "level"):
        accepts[r["profile__household_id"]][r["category__code"]] = r["level"]
    current = Link.objects.filter(household_id__in=ids).filter(
        Q(stage__in=[s.value for s in rules.OPEN_STAGES]) | Q(stage=rules.Stage.PLACED,
                                                               children__stage=child_rules.Stage.PLACED))
    links = list(current.distinct().values("pk", "household_id", "stage", "child_id", "sibling_group_id"))
    sizes: dict[int, int] = defaultdict(int)
    for link_id in Link.children.through.objects.filter(link_id__in=current.values("pk")).values_list(
            "link_id", flat=True):
        sizes[link_id] += 1
    exploring: dict[int, int] = defaultdict(int)
    linked: dict[int, int] = defaultdict(int)
    with_children: dict[int, set[str]] = defaultdict(set)
    for r in links:
        stage = rules.Stage(r["stage"])
        if stage in rules.EXPLORING_STAGES:
            exploring[r["household_id"]] += 1
        else:
            linked[r["household_id"]] += sizes[r["pk"]] or 1
        if stage in rules.OPEN_STAGES:
            with_children[r["household_id"]].add(_link_key(r))
    window = matching.DEFAULT_WEIGHTS.scale("decline_window_days")
    declined = selectors.declines(ids, since=on - timedelta(days=int(window)))
    rates = fee_rates()
    out = []
    for r in rows:
        pk = r["pk"]
        c = {name: r[col] for col, name in cap.items()}
        kind = ("own_raa" if r["raa_id"] == searching_raa.pk else
                "vaa" if r["raa__kind"] == Organisation.Kind.VAA else "other_raa")
        people = applicants[pk]
        has_capacity = c["children_max"] is not None
        out.append(matching.HouseholdProfile(
            key=household_key(pk), agency_code=r["raa__code"], agency_kind=kind,
            inter_agency_fee=inter_agency_fee(rates, kind, children, r["postcode"], on),
            status=_status(r), approved_on=r["approved_on"],
            **({k: c[k] for k in ("children_min", "children_max", "age_min_years", "age_max_years",
                                  "sibling_groups", "sexes")} if has_capacity else {}),
            heritages=None if not has_capacity or c["heritage_open_to_any"] else frozenset(c["heritages"] or ()),
            ethnicities=tuple(a["ethnicity"] for a in people),
            religions=tuple(a["religion"] for a in people if a["religion"]),
            religion_openness=c["religion_openness"] or "",
            languages=tuple(dict.fromkeys(x for text in [*(a["languages"] for a in people), c["languages"] or ""]
                                          for x in _split_list(text))),
            contact=frozenset(k for k in matching.CONTACT_KINDS if c[f"{k}_contact"]) if has_capacity else None,
            early_permanence_willing=c["early_permanence"] if has_capacity else None,
            early_permanence_approved=r["approved_foster_carers"],
            needs_accepted=accepts[pk], district=postcodes.district_of(r["postcode"] or ""),
            la=r["residence_la__code"] or "",
            max_travel_miles=c["max_distance_miles"], open_links=exploring[pk],
            open_link_children=frozenset(with_children[pk]), linked_matched=linked[pk],
            capacity=c["children_max"] or 1, previous_adopters=r["previous_adopters"],
            needs_parented=frozenset(c["needs_parented"] or ()),
            declines=tuple(_decline(d) for d in declined.get(pk, ()))))
    return out


def _decline(d: selectors.DeclineRow) -> matching.Decline:
    key = group_key(d.sibling_group_id) if d.sibling_group_id else child_key(d.child_id)
    return matching.Decline(on=d.on, reason=d.reason, child_key=key, children=d.children,
                            age_months=matching.months_between(d.youngest_dob, d.on) if d.youngest_dob else None,
                            by=d.by)


# ---------------------------------------------------------------------------------------------
# The reads behind the pages: a household's children who might fit, and the region's sufficiency


@dataclass(frozen=True)
class ChildrenForHousehold:
    household: matching.HouseholdProfile
    ranking: matching.Ranking
    weights: WeightsInForce


def children_for_household(household: Household, on: date) -> ChildrenForHousehold:
    """The household's RAA's waiting children (a sibling group placed together as one) ranked for this household
    on `on` with the RAA's weights and cap (matching.rank_children), and those left out with why."""
    raa = household.raa
    force = weights_for(raa, on)
    subject = household_profiles(Household.objects.filter(pk=household.pk), on, searching_raa=raa)[0]
    waiting = child_profiles(waiting_children(raa).only("pk", "sibling_group_id"), on)
    ranking = matching.rank_children(subject, waiting, force.weights, on, cap=force.cap)
    return ChildrenForHousehold(subject, ranking, force)


def unit_children(keys: Iterable[str]) -> dict[str, list[Child]]:
    """{profile key: its children (with their LA), eldest first}: a child's key (P…) is the child, a sibling
    group's (S…) every child in the group. Two queries for any number of keys."""
    keys = list(keys)
    singles = [key_id(k) for k in keys if k.startswith("P")]
    groups = [key_id(k) for k in keys if k.startswith("S")]
    found = Child.objects.filter(Q(pk__in=singles) | Q(sibling_group_id__in=groups)).select_related("la")
    by_pk, by_group = {}, defaultdict(list)
    for c in found.order_by("date_of_birth", "pk"):
        by_pk[c.pk] = c
        if c.sibling_group_id in groups:
            by_group[c.sibling_group_id].append(c)
    return {k: (by_group.get(key_id(k), []) if k.startswith("S") else
                [by_pk[key_id(k)]] if key_id(k) in by_pk else []) for k in keys}


BEFORE_PO_STAGES = tuple(s for s in WAITING_STAGES if s != child_rules.Stage.PLACEMENT_ORDER.value)


@dataclass(frozen=True)
class RegionSufficiency:
    result: sufficiency.Sufficiency
    households: list[matching.HouseholdProfile]
    weights: WeightsInForce


def region_sufficiency(raa: Organisation, on: date, *, la: Organisation | None = None,
                       include_before_po: bool = True) -> RegionSufficiency:
    """The RAA's waiting children (of one of its LAs with `la`; with a placement order only unless
    `include_before_po`) against all its waiting approved households (stage approved, on hold and paused
    included: the engine's approval rule keeps those out), with the RAA's cap."""
    children = waiting_children(raa)
    if la is not None:
        children = children.filter(la=la)
    if not include_before_po:
        children = children.exclude(stage__in=BEFORE_PO_STAGES)
    force = weights_for(raa, on)
    kids = child_profiles(children.only("pk", "sibling_group_id"), on)
    homes = household_profiles(household_pool(raa).filter(stage=household_rules.Stage.APPROVED.value), on,
                               searching_raa=raa)
    return RegionSufficiency(sufficiency.sufficiency(kids, homes, on, cap=force.cap), homes, force)


def sufficiency_figures(raa: Organisation, on: date, *, la: Organisation | None = None,
                        include_before_po: bool = True) -> dict:
    """The sufficiency page's figures as plain data (cacheable; no child's or household's name or key): the
    totals, one row per band of each dimension (children waiting, those no household could take, households
    open to at least one, and the nearest-miss rules: for how many of the children left without a household
    each rule alone kept at least one household out), the households with no child and the targets."""
    found = region_sufficiency(raa, on, la=la, include_before_po=include_before_po)
    result = found.result
    labels = {matching.rule_name(r): matching.rule_label(r) for r in matching.ALL_RULES}
    misses: dict[tuple[str, str], Counter] = defaultdict(Counter)
    no_near_miss: Counter = Counter()
    for fit in result.children:
        if fit.households:
            continue
        for d in sufficiency.DIMENSIONS:
            band = (d, fit.bands[d])
            misses[band].update(rule for rule, _n in fit.nearest)
            if not fit.nearest:
                no_near_miss[band] += 1
    dimensions = []
    for d in sufficiency.DIMENSIONS:
        rows = []
        for g in (g for g in result.groups if g.dimension == d):
            counted = misses[(d, g.band)]
            near = [{"rule": r, "label": labels.get(r, r), "children": n}
                    for r, n in sorted(counted.items(), key=lambda x: (-x[1], labels.get(x[0], x[0])))]
            rows.append({"dimension": sufficiency.DIMENSION_LABELS[d], "band": g.band, "children": g.children,
                         "without_household": g.without_household, "households_open": g.households_open,
                         "nearest": near, "no_near_miss": no_near_miss[(d, g.band)]})
        dimensions.append({"key": d, "label": sufficiency.DIMENSION_LABELS[d], "rows": rows})
    status = {h.key: h.status for h in found.households}
    idle = result.households_without_child
    return {
        "on": on, "raa": raa.code, "la": la.code if la else "", "include_before_po": include_before_po,
        "weights": found.weights.weights.version, "cap": result.cap,
        "children": len(result.children), "children_without_household": len(result.children_without_household),
        "households": len(found.households), "households_without_child": len(idle),
        "households_without_child_not_taking": sum(1 for k in idle if status[k] != "approved"),
        "dimensions": dimensions,
        "targets": [{"dimension": sufficiency.DIMENSION_LABELS[t.dimension], "households": t.households,
                     "text": t.text} for t in result.targets],
    }


def nearest_text(row: dict) -> str:
    """A band's nearest misses in words: "age range (2 children), number of children (1 child)"."""
    parts = [f"{n['label'].lower()} ({n['children']} child{'ren' if n['children'] != 1 else ''})"
             for n in row["nearest"]]
    if row["no_near_miss"]:
        n = row["no_near_miss"]
        parts.append(f"no household missed by one rule only ({n} child{'ren' if n != 1 else ''})")
    return ", ".join(parts)


SUFFICIENCY_CACHE_SECONDS = 24 * 60 * 60


def sufficiency_figures_today(raa: Organisation, on: date, *, la: Organisation | None = None,
                              include_before_po: bool = True, refresh: bool = False) -> dict:
    """`sufficiency_figures` for `on`, from Django's cache when worked out already that day for this RAA and these
    filters (the page and the API share it), with the time they were worked out."""
    from django.core.cache import cache
    from django.utils import timezone

    key = f"family_finding:sufficiency:{raa.pk}:{on.isoformat()}:{la.code if la else '-'}:{int(include_before_po)}"
    figures = None if refresh else cache.get(key)
    if figures is None:
        figures = sufficiency_figures(raa, on, la=la, include_before_po=include_before_po)
        figures["worked_out_at"] = timezone.now()
        cache.set(key, figures, SUFFICIENCY_CACHE_SECONDS)
    return figures


def inter_agency_placements(raa: Organisation) -> list:
    """The RAA's inter-agency placements bought and sold, each priced from the fee table (balance.Placement)."""
    from permanence.family_finding import balance

    rates = fee_rates()
    return [balance.Placement(
        link_id=r.link_id, reference=Link(pk=r.link_id).reference, placed_on=r.placed_on, children=r.children,
        direction=balance.BOUGHT if r.bought else balance.SOLD, other_agency=r.other_agency,
        fee=inter_agency_fee(rates, r.other_kind, r.children, r.postcode, r.placed_on))
        for r in selectors.inter_agency_placements(raa)]
