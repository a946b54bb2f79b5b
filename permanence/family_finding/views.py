"""Family finding's pages: the links board, a link with its timeline and next steps, a child's family finding
(its links and shortlists), a shortlist with why each household was or was not put forward. Parse the request,
reach records through access, call a service, render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from permanence import access
from permanence.children import rules as child_rules
from permanence.core import exports
from permanence.core.forms import show_service_errors
from permanence.family_finding import balance, matching, profiles, rules, selectors, services
from permanence.family_finding import forms as f
from permanence.family_finding.journey import RECORDS
from permanence.family_finding.models import ChildMatchingProfile, Link, MatchingWeights
from permanence.family_finding.rows import link_rows
from permanence.journeys import views as journey_views
from permanence.organisations.models import Organisation, Role

PAGE_SIZE = 50


def _refusal(user, link, kind):
    return access.link_event_refusal(user, link, kind, services.policy_on(link, services.today()))


PAGES = journey_views.JourneyPages(
    records=RECORDS, event_form=f.EventForm, correction_form=f.CorrectionForm, detail_url="family_finding:link",
    list_url="family_finding:board", list_name="Links", name=lambda link: f"Link {link.reference}",
    return_text="Return to the link", refusal=_refusal, state=lambda link: rules.replay(services.event_facts(link)),
    withdrawn_message="The step has been withdrawn.",
)
MINE_FIRST = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.LA_SOCIAL_WORKER})


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not allowed")


_rows = link_rows


def board(request):
    user = request.user
    _require(access.can_see_links(user))
    today = services.today()
    default = "mine" if user.role in MINE_FIRST else "team"
    form = f.BoardFilterForm(request.GET or None, initial={"show": default})
    filters = selectors.BoardFilters(mine=default == "mine")
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.BoardFilters(mine=(d["show"] or default) == "mine", stage=d["stage"], stale=d["stale"])
    visible = access.links_visible_to(user)
    page = Paginator(selectors.links_board(visible, user=user, filters=filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "family_finding/board.html", {
        "form": form, "page": page, "rows": _rows(user, page.object_list, today), "mine": filters.mine,
        "stale_count": selectors.stale_links(visible, today).count(), "today": today,
        "ended_within_days": filters.ended_within_days,
        "can_set_weights": access.can_set_matching_weights(user, user.organisation),
    })


def link_detail(request, pk: int):
    user = request.user
    link = access.get_link_for(user, pk)
    today = services.today()
    state = rules.replay(services.event_facts(link))
    named = access.sees_household_by_name(user, link.household)
    kinds = access.link_kinds_for(user, link, state, services.policy_on(link, today))
    return render(request, "family_finding/link.html", {
        "link": link, "row": _rows(user, [link], today)[0], "named": named,
        "profile": None if named else selectors.anonymised_household(link.household, today),
        "state": state, "timeline": journey_views.timeline(PAGES, link, selectors.link_timeline(link)),
        "recordable": journey_views.record_links(PAGES, link, kinds),
        "end_reason": rules.END_REASON_LABELS.get(link.ended_reason, ""), "today": today,
    })


def child_family_finding(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    _require(access.can_see_links(user))
    today = services.today()
    links = selectors.child_links(access.links_visible_to(user), child)
    shortlists = selectors.child_shortlists(access.shortlists_visible_to(user), child)
    return render(request, "family_finding/child.html", {
        "child": child, "rows": _rows(user, links, today), "shortlists": shortlists,
        "can_family_find": access.can_family_find_for(user, child), "form": f.ShortlistForm(),
        "stage_label": child_rules.STAGE_LABELS[child_rules.Stage(child.stage)],
    })


@require_POST
def run_shortlist(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    _require(access.can_family_find_for(user, child))
    form = f.ShortlistForm(request.POST)
    if form.is_valid():
        try:
            saved = services.shortlist(child=child, actor=user,
                                       include_inter_agency=form.cleaned_data["include_inter_agency"])
        except ValidationError as err:
            for message in err.messages:
                messages.error(request, message)
        else:
            return redirect("family_finding:shortlist", pk=saved.pk)
    return redirect("family_finding:child", pk=child.pk)


def shortlist_detail(request, pk: int):
    user = request.user
    shortlist = access.get_shortlist_for(user, pk)
    ranked, excluded = selectors.shortlist_entries(shortlist)
    named = access.households_named_for(user, {e.household_id for e in ranked + excluded})
    opened = selectors.links_from_shortlist(shortlist)
    for entry in ranked:
        entry.link = opened.get(entry.pk)
    return render(request, "family_finding/shortlist.html", {
        "shortlist": shortlist, "ranked": ranked, "excluded": excluded, "named": named,
        "can_open": access.can_family_find_for(user, shortlist.child), "counts": shortlist.explanation["counts"],
        "weights": shortlist.explanation["weights"],
    })


@require_http_methods(["POST"])
def open_link(request, pk: int, entry_pk: int):
    user = request.user
    shortlist = access.get_shortlist_for(user, pk)
    _require(access.can_family_find_for(user, shortlist.child))
    entry = access.get_or_404(shortlist.entries.select_related("household"), "entry", pk=entry_pk)
    try:
        link = services.open_link(actor=user, child=shortlist.child, household=entry.household,
                                  on=services.today(), shortlist_entry=entry)
    except ValidationError as err:
        for message in err.messages:
            messages.error(request, message)
        return redirect("family_finding:shortlist", pk=shortlist.pk)
    messages.success(request, f"Link {link.reference} opened: the household is shortlisted.")
    return redirect("family_finding:link", pk=link.pk)


# ---------------------------------------------------------------------------------------------
# The inter-agency balance: placements bought and sold by financial year (aggregates: no child is named)

BALANCE_COLUMNS = [
    exports.Column("Financial year", lambda y: y.label),
    exports.Column("Placements bought", lambda y: y.bought),
    exports.Column("Fees paid (£)", lambda y: y.paid),
    exports.Column("Bought with no fee recorded", lambda y: y.bought_without_fee),
    exports.Column("Placements sold", lambda y: y.sold),
    exports.Column("Fees received (£)", lambda y: y.received),
    exports.Column("Sold with no fee recorded", lambda y: y.sold_without_fee),
    exports.Column("Balance (£)", lambda y: y.net),
]


def _placements(raa) -> list[balance.Placement]:
    rates = profiles.fee_rates()
    return [balance.Placement(
        link_id=r.link_id, reference=Link(pk=r.link_id).reference, placed_on=r.placed_on, children=r.children,
        direction=balance.BOUGHT if r.bought else balance.SOLD, other_agency=r.other_agency,
        fee=profiles.inter_agency_fee(rates, r.other_kind, r.children, r.postcode, r.placed_on))
        for r in selectors.inter_agency_placements(raa)]


def inter_agency(request, fmt: str | None = None):
    """The RAA's inter-agency placements bought and sold, by financial year, with the fees (page, CSV, XLSX).
    The placements behind the figures are listed for those who see links."""
    user = request.user
    raa = access.raa_for_aggregates(user)
    _require(raa is not None)
    placements = _placements(raa)
    years = balance.by_year(placements)
    if fmt is not None:
        return exports.export_response(request, rows=years, columns=BALANCE_COLUMNS,
                                       what="family_finding.inter_agency", fmt=fmt,
                                       filename=f"inter-agency-balance-{raa.code}")
    shown = access.can_see_links(user)
    page = Paginator(placements if shown else [], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "family_finding/inter_agency.html", {
        "raa": raa, "years": years, "page": page, "show_placements": shown,
        "rates": profiles.fee_rates(), "complete": all(y.complete for y in years),
    })
# The child's matching profile

YES_NO = {True: "Yes", False: "No", None: ""}
MILES = "{} miles"
CONTACT_WORDS = {"letterbox": "letterbox", "direct": "direct with the birth family",
                 "sibling": "with brothers or sisters"}


def _can_see_profile(user, child) -> bool:
    """The matching profile is seen by whoever sees the child's family-finding page."""
    return access.can_see_links(user)


def _siblings(user, child):
    """The child's siblings matched with it (a sibling group placed together) the user sees, else None."""
    together = services.children_matched_with(child)
    if len(together) < 2:
        return None
    visible = set(access.children_visible_to(user).filter(pk__in=[c.pk for c in together])
                  .values_list("pk", flat=True))
    return [(c, c.pk in visible) for c in together if c.pk != child.pk]


def _profile_sections(profile: ChildMatchingProfile | None, child) -> list[tuple[str, list[tuple[str, str]]]]:
    """The profile as summary-list sections of (key, value); a blank value reads "Not recorded"."""
    p = profile or ChildMatchingProfile(child=child)
    avoided_la = (p.birth_family_la or child.la).name
    las = ", ".join(la.name for la in p.avoid_las.order_by("name")) if p.pk else ""
    return [
        ("Location", [
            ("Not in the birth family's LA", f"Yes: not in {avoided_la}" if p.avoid_birth_family_la else "No"),
            ("The birth family's LA", p.birth_family_la.name if p.birth_family_la_id else ""),
            ("Other LAs to avoid", las),
            ("Postcode districts or areas to avoid", ", ".join(p.avoid_places or [])),
            ("Distances measured from", p.reference_district),
            ("Maximum distance", MILES.format(p.max_distance_miles) if p.max_distance_miles is not None else ""),
            ("Minimum distance", MILES.format(p.min_distance_miles) if p.min_distance_miles is not None else ""),
            ("Leave out households whose distance is not known", "Yes" if p.require_known_distance else "No"),
        ]),
        ("Contact the plan needs", [
            ("Letterbox contact", YES_NO[p.letterbox_contact]),
            ("Direct contact with the birth family", YES_NO[p.direct_contact]),
            ("Contact with brothers or sisters", YES_NO[p.sibling_contact]),
        ]),
        ("Early permanence", [("Early permanence", p.get_early_permanence_display() if p.early_permanence else "")]),
        ("Religion and languages", [("Religion", p.religion), ("Languages", p.languages)]),
        ("Notes", [("Notes", p.notes)]),
    ]


def _engine_lines(child, today) -> list[tuple[str, str]]:
    """What the engine matches on for a sibling group placed together: the group's profiles combined."""
    combined = profiles.child_profile(child, today)
    names = dict(Organisation.objects.filter(code__in=combined.not_in_las, kind=Organisation.Kind.LA)
                 .values_list("code", "name"))
    miles = combined.max_distance_miles, combined.min_distance_miles
    return [
        ("LAs to avoid", ", ".join(sorted(names.get(c, c) for c in combined.not_in_las))),
        ("Postcode districts or areas to avoid", ", ".join(sorted(combined.not_in_places))),
        ("Distances measured from", combined.reference_district),
        ("Maximum distance", MILES.format(miles[0]) if miles[0] is not None else ""),
        ("Minimum distance", MILES.format(miles[1]) if miles[1] is not None else ""),
        ("Contact the plan needs", ", ".join(CONTACT_WORDS[k] for k in sorted(combined.contact))
         if combined.contact is not None else ""),
        ("Early permanence", dict(ChildMatchingProfile.EarlyPermanence.choices)[combined.early_permanence]),
    ]


def matching_profile(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    _require(_can_see_profile(user, child))
    profile = ChildMatchingProfile.objects.filter(child=child).select_related("birth_family_la").first()
    siblings = _siblings(user, child)
    return render(request, "family_finding/matching_profile.html", {
        "child": child, "profile": profile, "sections": _profile_sections(profile, child), "siblings": siblings,
        "combined": _engine_lines(child, services.today()) if siblings else None,
        "can_edit": access.can_edit_matching_profile(user, child),
    })


@require_http_methods(["GET", "POST"])
def edit_matching_profile(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    _require(_can_see_profile(user, child) and access.can_edit_matching_profile(user, child))
    profile = ChildMatchingProfile.objects.filter(child=child).first()
    form = f.MatchingProfileForm(request.POST or None, profile=profile, child_la=child.la.name)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_matching_profile(actor=user, child=child, values=form.values())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The matching profile has been saved. The next shortlist uses it.")
            return redirect("family_finding:matching-profile", pk=child.pk)
    return render(request, "family_finding/matching_profile_form.html", {
        "form": form, "child": child, "siblings": _siblings(user, child)})


# ---------------------------------------------------------------------------------------------
# The RAA's matching weights


@dataclass
class VersionRow:
    row: MatchingWeights
    status: str  # in force, from a later date, replaced


def _versions(raa, in_force: MatchingWeights | None, today) -> list[VersionRow]:
    rows = []
    for row in MatchingWeights.objects.filter(raa=raa).select_related("created_by").order_by("-valid_from", "-id"):
        status = ("In force" if in_force is not None and row.pk == in_force.pk else
                  "Applies later" if row.valid_from > today else "Replaced")
        rows.append(VersionRow(row, status))
    return rows


def matching_weights(request):
    user = request.user
    raa = user.organisation if access.active(user) else None
    _require(raa is not None and access.can_set_matching_weights(user, raa))
    today = services.today()
    force = profiles.weights_for(raa, today)
    points = [(matching.FACTOR_LABELS[factor], force.weights.point(factor),
               matching.DEFAULT_WEIGHTS.point(factor)) for factor in matching.FACTORS]
    return render(request, "family_finding/weights.html", {
        "raa": raa, "force": force, "points": points, "defaults": matching.DEFAULT_WEIGHTS,
        "own": force.row is not None and force.row.raa_id == raa.pk,
        "versions": _versions(raa, force.row, today), "today": today,
    })


def _number(points: float) -> int | float:
    return int(points) if float(points).is_integer() else points


@require_http_methods(["GET", "POST"])
def set_matching_weights(request):
    user = request.user
    raa = user.organisation if access.active(user) else None
    _require(raa is not None and access.can_set_matching_weights(user, raa))
    today = services.today()
    force = profiles.weights_for(raa, today)
    latest = services.latest_weights(raa)
    form = f.MatchingWeightsForm(request.POST or None, cap=force.cap,
                                 points={x: _number(force.weights.point(x)) for x in matching.FACTORS})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = services.set_matching_weights(actor=user, raa=raa, values=form.points(), source=d["source"],
                                                valid_from=d["valid_from"], cap=d["cap"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            when = "from today" if row.valid_from == today else f"from {row.valid_from.day} {row.valid_from:%B %Y}"
            messages.success(request, f"Version {row.version} of the matching weights has been saved: it applies "
                                      f"{when}. Shortlists already saved keep the weights they were run with.")
            return redirect("family_finding:weights")
    return render(request, "family_finding/weights_form.html", {
        "form": form, "raa": raa, "force": force, "latest": latest, "today": today})
