"""Family finding's pages: the links board, a link with its timeline and next steps, a child's family finding
(its links and shortlists), a shortlist with why each household was or was not put forward, a household's
children who might fit, and the region's sufficiency. Parse the request, reach records through access, call a
service (or a read), render."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from permanence import access
from permanence.adopters import rules as household_rules
from permanence.children import rules as child_rules
from permanence.core import audit, exports, listing, sorting
from permanence.core.forms import show_service_errors
from permanence.family_finding import balance, matching, profiles, rules, selectors, services
from permanence.family_finding import forms as f
from permanence.family_finding.journey import RECORDS
from permanence.family_finding.models import ChildMatchingProfile, InterAgencyFee, MatchingWeights
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
    withdrawn_message="The step has been withdrawn.", correctable=services.correctable_steps,
)
MINE_FIRST = frozenset({Role.RAA_FAMILY_FINDER, Role.RAA_ASSESSING_SOCIAL_WORKER, Role.LA_SOCIAL_WORKER})


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not allowed")


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
    order = sorting.sorting_for(request, selectors.BOARD_SORTS, default="next_due")
    page = listing.paginate(request, selectors.links_board(visible, user=user, filters=filters, today=today,
                                                           order_by=order.order_by), PAGE_SIZE)
    return render(request, "family_finding/board.html", {"sorting": order,
        "form": form, "page": page, "rows": link_rows(user, page.object_list, today), "mine": filters.mine,
        "stale_count": selectors.stale_links(visible, today).count(), "today": today,
        "ended_within_days": filters.ended_within_days,
        "can_set_weights": access.can_set_matching_weights(user, user.organisation),
    })


def link_detail(request, pk: int):
    user = request.user
    link = access.get_link_for(user, pk)
    audit.viewed(request, link)  # the page shows the record: a view (issue 15)
    today = services.today()
    state = rules.replay(services.event_facts(link))
    named = access.sees_household_by_name(user, link.household)
    kinds = access.link_kinds_for(user, link, state, services.policy_on(link, today))
    return render(request, "family_finding/link.html", {
        "link": link, "row": link_rows(user, [link], today)[0], "named": named,
        "profile": None if named else selectors.anonymised_household(
            link.household, today, religion=access.sees_special_category(user)),
        "state": state, "timeline": journey_views.timeline(PAGES, link, selectors.link_timeline(link)),
        "recordable": journey_views.record_links(PAGES, link, kinds),
        "end_reason": rules.END_REASON_LABELS.get(link.ended_reason, ""), "today": today,
    })


def child_family_finding(request, pk: int):
    user = request.user
    child = access.get_child_for(user, pk)
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
    _require(access.can_see_links(user))
    today = services.today()
    links = selectors.child_links(access.links_visible_to(user), child)
    shortlists = selectors.child_shortlists(access.shortlists_visible_to(user), child)
    return render(request, "family_finding/child.html", {
        "child": child, "rows": link_rows(user, links, today), "shortlists": shortlists,
        "can_family_find": access.can_family_find_for(user, child), "form": f.ShortlistForm(),
        "sees_matching_papers": access.can_see_matching_papers(user),
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


@require_http_methods(["GET", "POST"])
def fee_table(request):
    """The inter-agency fee table: every rate with its source; a system administrator records or changes one."""
    user = request.user
    _require(access.can_see_inter_agency_fees(user))
    can_set = access.can_set_inter_agency_fees(user)
    if request.method == "POST":
        _require(can_set)
    form = f.InterAgencyFeeForm(request.POST or None) if can_set else None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = services.set_inter_agency_fee(actor=user, **{**d, "london_uplift_percent":
                                                               d["london_uplift_percent"] or 0})
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The rate for {row} has been saved.")
            return redirect("family_finding:fees")
    return render(request, "family_finding/fees.html", {"rates": InterAgencyFee.objects.all(), "form": form})


def inter_agency(request, fmt: str | None = None):
    """The RAA's inter-agency placements bought and sold, by financial year, with the fees (page, CSV, XLSX).
    The placements behind the figures are listed for those who see links."""
    user = request.user
    raa = access.raa_for_aggregates(user)
    _require(raa is not None)
    placements = profiles.inter_agency_placements(raa)
    years = balance.by_year(placements)
    if fmt is not None:
        return exports.export_response(request, rows=years, columns=BALANCE_COLUMNS,
                                       what="family_finding.inter_agency", fmt=fmt,
                                       filename=f"inter-agency-balance-{raa.code}")
    shown = access.can_see_links(user)
    page = listing.paginate(request, placements if shown else [], PAGE_SIZE)
    return render(request, "family_finding/inter_agency.html", {
        "raa": raa, "years": years, "page": page, "show_placements": shown,
        "rates": InterAgencyFee.objects.all(), "complete": all(y.complete for y in years),
    })


# ---------------------------------------------------------------------------------------------
# The child's matching profile

YES_NO = {True: "Yes", False: "No", None: ""}
MILES = "{} miles"
CONTACT_WORDS = {"letterbox": "letterbox", "direct": "direct with the birth family",
                 "sibling": "with brothers or sisters"}


def _can_see_profile(user, child) -> bool:
    """The matching profile is one of the matching papers (special-category data: access.can_see_matching_papers)."""
    return access.can_see_matching_papers(user)


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
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
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
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
    _require(_can_see_profile(user, child) and access.can_edit_matching_profile(user, child))
    profile = ChildMatchingProfile.objects.filter(child=child).first()
    form = f.MatchingProfileForm(request.POST or None, profile=profile, child_la=child.la.name, versioned=profile,
                                   creates=True)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
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
                                 points={x: _number(force.weights.point(x)) for x in matching.FACTORS},
                                 versioned=raa)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with form.saving():
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


# ---------------------------------------------------------------------------------------------
# A household's children who might fit (matching.rank_children)


@dataclass
class FitRow:
    key: str
    children: list  # [(child, its age in words, whether the user sees the child)]
    group: bool
    la: str
    waiting_since: object
    score: float | None = None
    position: int | None = None
    contributions: tuple = ()
    reasons: tuple = ()


def _fit_rows(user, items, on) -> list[FitRow]:
    units = profiles.unit_children(e.key for e in items)
    ids = [c.pk for kids in units.values() for c in kids]
    seen = set(access.children_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) \
        if access.can_see_links(user) else set()
    rows = []
    for e in items:
        kids = units[e.key]
        profile = e.grid.children[e.at[0]]
        row = FitRow(e.key, [(c, _age(c, on), c.pk in seen) for c in kids], e.key.startswith("S"),
                     kids[0].la.name if kids else "", profile.waiting_since)
        if isinstance(e, matching.Ranked):
            row.score, row.position = e.score, e.position
            row.contributions = tuple(c for c in e.contributions if c.points)
        else:
            row.reasons = e.reasons
        rows.append(row)
    return rows


def _age(child, on) -> str:
    born = child.date_of_birth or child.expected_date_of_birth
    if born is None:
        return "age not recorded"
    if born > on:
        return "not yet born"
    return matching.years_months(matching.months_between(born, on))


def household_children(request, pk: int):
    """The household's RAA's waiting children who might fit it, best first with each factor's points and why,
    and (?show=left-out) those left out with every rule that left them out. Only for an approved household."""
    user = request.user
    household = access.get_household_for(user, pk)
    audit.viewed(request, household)  # the page shows the record: a view (issue 15)
    _require(access.can_find_children_for(user, household))
    today = services.today()
    stage = household_rules.Stage(household.stage)
    context = {"household": household, "today": today, "stage_label": household_rules.STAGE_LABELS[stage],
               "approved": household.stage in profiles.POOL_STAGES, "closed": stage is household_rules.Stage.CLOSED}
    if context["approved"]:
        found = profiles.children_for_household(household, today)
        ranking = found.ranking
        show = "left-out" if request.GET.get("show") == "left-out" else "fit"
        items = ranking.ranked if show == "fit" else ranking.excluded
        page = listing.paginate(request, items, PAGE_SIZE)
        labels = {matching.rule_name(r): matching.rule_label(r) for r in matching.ALL_RULES}
        by_rule = Counter(rule for e in ranking.excluded for rule in e.rules)
        context |= {
            "show": show, "page": page, "rows": _fit_rows(user, page.object_list, today),
            "ranked_count": len(ranking.ranked), "excluded_count": len(ranking.excluded),
            "by_rule": [(labels.get(r, r), n) for r, n in sorted(by_rule.items(), key=lambda x: (-x[1], x[0]))],
            "weights": found.weights.weights, "cap": found.weights.cap, "status": found.household.status,
        }
    return render(request, "family_finding/household_children.html", context)


# ---------------------------------------------------------------------------------------------
# The region's sufficiency (sufficiency.sufficiency): aggregate, cached per RAA, filters and day

CHART = {"label_width": 170, "bar_width": 300, "row": 44, "bar": 16}


def _sufficiency_request(request):
    """(raa, la or None, include_before_po, form) from the request, for a user who may see sufficiency."""
    user = request.user
    raa = access.raa_for_sufficiency(user)
    _require(raa is not None)
    las = list(access.las_visible_to(user).order_by("name"))
    form = f.SufficiencyFilterForm(request.GET or None, las=las, initial={"children": "all"})
    la, include = None, True
    if form.is_valid():
        code = form.cleaned_data["la"]
        la = next((x for x in las if x.code == code), None)
        include = (form.cleaned_data["children"] or "all") == "all"
    return raa, la, include, form


def _figures(raa, la, include, *, refresh: bool = False) -> dict:
    """The figures for today, from the cache when worked out already today for this RAA and these filters."""
    return profiles.sufficiency_figures_today(raa, services.today(), la=la, include_before_po=include,
                                              refresh=refresh)


def _chart(dimension: dict) -> dict:
    """A horizontal bar chart of one dimension: for each band, the children waiting and those without a
    household (the same figures as the table under it)."""
    c = CHART
    top = max((r["children"] for r in dimension["rows"]), default=0) or 1
    bars = []
    for i, r in enumerate(dimension["rows"]):
        y = i * c["row"] + 8
        bars.append({"band": r["band"], "y": y, "text_y": y + 12, "y2": y + c["bar"] + 2,
                     "text_y2": y + c["bar"] + 14, "children": r["children"],
                     "without": r["without_household"],
                     "w1": round(c["bar_width"] * r["children"] / top), "w2": round(
                         c["bar_width"] * r["without_household"] / top)})
    for b in bars:
        b["n1_x"] = c["label_width"] + b["w1"] + 4
        b["n2_x"] = c["label_width"] + b["w2"] + 4
    return {"bars": bars, "height": len(bars) * c["row"] + 16, "width": c["label_width"] + c["bar_width"] + 40,
            "label_width": c["label_width"], "bar_height": c["bar"]}


def sufficiency_page(request):
    """All the RAA's waiting children against its waiting approved households, by band: children without a
    household, the nearest-miss rules, households with no child, the recruitment targets. Aggregate only."""
    raa, la, include, form = _sufficiency_request(request)
    figures = _figures(raa, la, include, refresh=request.GET.get("refresh") == "1")
    for dimension in figures["dimensions"]:
        dimension["chart"] = _chart(dimension)
        for row in dimension["rows"]:
            row["nearest_text"] = profiles.nearest_text(row)
    query = request.GET.copy()
    query.pop("refresh", None)
    query.pop("page", None)
    return render(request, "family_finding/sufficiency.html", {
        "raa": raa, "la": la, "include_before_po": include, "form": form, "figures": figures,
        "export_query": query.urlencode(), "chart": CHART,
    })


SUFFICIENCY_COLUMNS = [
    exports.Column("Dimension", lambda r: r["dimension"]),
    exports.Column("Band", lambda r: r["band"]),
    exports.Column("Children waiting", lambda r: r["children"]),
    exports.Column("Without a household", lambda r: r["without_household"]),
    exports.Column("Households open to at least one", lambda r: r["households_open"]),
    exports.Column("Nearest misses", profiles.nearest_text),
]


def sufficiency_export(request, fmt: str):
    """The sufficiency table (every band of every dimension) as CSV or XLSX: the page's rows; logged."""
    raa, la, include, _form = _sufficiency_request(request)
    figures = _figures(raa, la, include)
    rows = [r for d in figures["dimensions"] for r in d["rows"]]
    return exports.export_response(
        request, rows=rows, columns=SUFFICIENCY_COLUMNS, what="family_finding.sufficiency", fmt=fmt,
        filename=f"sufficiency-{raa.code}{'-' + la.code if la else ''}",
        filters={"la": la.code if la else "", "include_before_po": include, "on": figures["on"].isoformat()})


def household_profile(request, pk: int):
    """An approved household as the child's LA sees it: anonymised (its reference, agency, postcode area, when it
    was approved, the children it is approved for and what it offers; no names, address or contact details).
    Reached from the links and shortlists of children the user sees; the view is logged."""
    user = request.user
    household = access.get_household_profile_for(user, pk)
    today = services.today()
    audit.record_view(viewer=user, instance=household, path=request.path)
    capacity = getattr(household, "capacity", None)
    return render(request, "family_finding/household_profile.html", {
        "household": household, "profile": selectors.anonymised_household(household, today),
        "needs": list(capacity.needs.select_related("category").exclude(level="none").order_by("category__order"))
        if capacity else [],
        "heritages": capacity.heritages if capacity and not capacity.heritage_open_to_any else [],
        "capacity": capacity, "named": access.sees_household_by_name(user, household),
    })
