"""Contact and birth relatives' pages: the landing page, the overdue letterbox list, reviews due, offers to make,
the child's contact page, the letterbox exchange page and the forms that record each step.

Only the child's RAA's support team and its managers open them (access.contact); missing and not-yours: the same
404. The head of service reads but does not record (403 on the forms). Every page of a child's records is logged
(RecordView); every change is audited by services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from permanence import access
from permanence.contact import forms as f
from permanence.contact import rules, selectors, services
from permanence.contact.models import ContactPlan, ContactSettings
from permanence.core import audit, exports, listing
from permanence.core.exports import Column
from permanence.core.forms import show_service_errors

PAGE_SIZE = 25
HOME_ROWS = 5


def _require_support(user) -> None:
    if not access.can_see_support(user):
        raise Http404("Not allowed")


def _require_recorder(user) -> None:
    if not access.can_record_contact(user):
        raise PermissionDenied("Only support workers and team managers record contact and support.")


def _viewed(request, instance, child_id: int) -> None:
    audit.record_view(viewer=request.user, instance=instance, path=request.path, child_id=child_id)


def _errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, messages_)


def _form_page(request, form, *, title: str, caption: str, back: str, button: str, extra: dict | None = None):
    return render(request, "contact/form.html", {"form": form, "title": title, "caption": caption, "back": back,
                                                 "button": button, **(extra or {})})


# ---------------------------------------------------------------------------------------------
# Lists


def home(request):
    user = request.user
    _require_support(user)
    today = services.today()
    t = selectors.contact_timescales(today)
    overdue = selectors.overdue_exchanges(access.letterbox_exchanges_visible_to(user), today, t)
    reviews = selectors.reviews_due(access.contact_plans_visible_to(user), today, within_days=-1)  # before today
    offers = selectors.to_offer(access.contact_children_visible_to(user), today, t)
    accepted, offered = rules.take_up(access.birth_relative_offers_visible_to(user).values_list("response",
                                                                                               flat=True))
    listing.log(request, min(len(overdue), HOME_ROWS) + min(reviews.count(), HOME_ROWS) + min(len(offers), HOME_ROWS))
    return render(request, "contact/home.html", {
        "overdue": overdue[:HOME_ROWS], "overdue_count": len(overdue), "reviews": reviews[:HOME_ROWS],
        "reviews_count": reviews.count(), "offers": offers[:HOME_ROWS], "offers_count": len(offers),
        "accepted": accepted, "offered": offered, "take_up": rules_percent(accepted, offered), "t": t,
        "today": today, "raa": access.support_raa_for(user),
    })


def rules_percent(hits: int, of: int) -> int | None:
    from permanence.performance.rules.figures import percent

    return percent(hits, of)


OVERDUE_COLUMNS = [
    Column("Exchange", lambda r: r.exchange.reference),
    Column("Child", lambda r: r.exchange.arrangement.plan.child.full_name),
    Column("Child reference", lambda r: r.exchange.arrangement.plan.child.reference),
    Column("With", lambda r: r.exchange.arrangement.with_name),
    Column("Direction", lambda r: r.exchange.get_direction_display()),
    Column("Due", lambda r: r.exchange.due_on),
    Column("Received", lambda r: r.exchange.received_on),
    Column("Read", lambda r: r.exchange.read_on),
    Column("Forward by", lambda r: r.forward_by),
    Column("Status", lambda r: r.status_label),
]


def overdue(request, fmt: str | None = None):
    user = request.user
    _require_support(user)
    today = services.today()
    form = f.OverdueFilterForm(request.GET or None)
    which = form.cleaned_data["which"] if form.is_valid() else ""
    rows = selectors.overdue_exchanges(access.letterbox_exchanges_visible_to(user), today,
                                       selectors.contact_timescales(today), which)
    if fmt:
        return exports.export_response(request, rows=rows, columns=OVERDUE_COLUMNS, what="contact.overdue",
                                       fmt=fmt, filename="letterbox-overdue", filters={"which": which})
    page = listing.paginate(request, rows, PAGE_SIZE)
    return render(request, "contact/overdue.html", {"form": form, "page": page, "rows": page.object_list,
                                                    "today": today, "export_query": request.GET.urlencode()})


REVIEW_COLUMNS = [
    Column("Child", lambda p: p.child.full_name),
    Column("Child reference", lambda p: p.child.reference),
    Column("LA", lambda p: p.child.la.name),
    Column("Adoption order", lambda p: p.adoption_order_date),
    Column("Last reviewed", lambda p: p.last_reviewed_on),
    Column("Next review due", lambda p: p.next_review_due),
]


def reviews(request, fmt: str | None = None):
    user = request.user
    _require_support(user)
    today = services.today()
    form = f.ReviewsFilterForm(request.GET or None)
    show = form.cleaned_data["show"] if form.is_valid() else ""
    within = {"overdue": -1, "all": None}.get(show, 90)
    qs = selectors.reviews_due(access.contact_plans_visible_to(user), today, within_days=within)
    if fmt:
        return exports.export_response(request, rows=qs, columns=REVIEW_COLUMNS, what="contact.reviews", fmt=fmt,
                                       filename="contact-reviews", filters={"show": show})
    page = listing.paginate(request, qs, PAGE_SIZE)
    raa = access.support_raa_for(user)
    return render(request, "contact/reviews.html", {"form": form, "page": page, "today": today,
                                                    "export_query": request.GET.urlencode(),
                                                    "t": selectors.contact_timescales(today, raa),
                                                    "can_set": access.can_set_contact_settings(user, raa)})


OFFER_COLUMNS = [
    Column("Child", lambda r: r.child.full_name),
    Column("Child reference", lambda r: r.child.reference),
    Column("LA", lambda r: r.child.la.name),
    Column("Adoption became the plan", lambda r: r.plan_date),
    Column("Days since", lambda r: r.days),
    Column("Offer by", lambda r: r.offer_by),
]


def to_offer(request, fmt: str | None = None):
    user = request.user
    _require_support(user)
    today = services.today()
    rows = selectors.to_offer(access.contact_children_visible_to(user), today, selectors.contact_timescales(today))
    if fmt:
        return exports.export_response(request, rows=rows, columns=OFFER_COLUMNS, what="contact.to_offer", fmt=fmt,
                                       filename="birth-relatives-to-offer", filters={})
    page = listing.paginate(request, rows, PAGE_SIZE)
    return render(request, "contact/to_offer.html", {"page": page, "today": today})


# ---------------------------------------------------------------------------------------------
# The child's contact page


def child_contact(request, pk: int):
    user = request.user
    child = access.get_contact_child_for(user, pk)
    today = services.today()
    t = selectors.contact_timescales(today)
    plan = ContactPlan.objects.filter(child=child).first()
    arrangements = list(plan.arrangements.all()) if plan else []
    exchanges = []
    if plan:
        qs = access.letterbox_exchanges_visible_to(user).filter(arrangement__plan=plan).select_related("arrangement")
        exchanges = [r for r in selectors.exchange_rows(qs.order_by("-due_on", "pk"), today, t)
                     if r.status != rules.Status.NOT_YET_DUE][:24]
    offers = list(access.birth_relative_offers_visible_to(user).filter(child=child).prefetch_related("sessions"))
    plan_date = selectors.adoption_plan_dates(type(child).objects.filter(pk=child.pk)).get(child.pk)
    _viewed(request, child, child.pk)
    return render(request, "contact/child.html", {
        "child": child, "plan": plan, "arrangements": arrangements, "exchanges": exchanges, "offers": offers,
        "reviews": list(plan.reviews.all()) if plan else [], "plan_date": plan_date, "today": today,
        "can_record": access.can_record_contact(user), "ao": selectors.adoption_order_date(child),
        "review_overdue": plan is not None and plan.next_review_due < today,
        "can_export_subject_access": access.can_export_subject_access(user),
    })


def create_plan(request, pk: int):
    user = request.user
    child = access.get_contact_child_for(user, pk)
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
    _require_recorder(user)
    back = reverse("contact:child", args=[child.pk])
    form = f.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_plan(actor=user, child=child, notes=form.cleaned_data["notes"])
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, "The contact plan has been started.")
            return redirect(back)
    return _form_page(request, form, title=f"Start a contact plan for {child.full_name}", caption=child.reference,
                      back=back, button="Start the plan")


def add_arrangement(request, pk: int):
    user = request.user
    child = access.get_contact_child_for(user, pk)
    _require_recorder(user)
    plan = ContactPlan.objects.filter(child=child).first()
    if plan is None:
        raise Http404("No contact plan found")
    audit.viewed(request, child)  # the form shows the child's contact plan (issue 15)
    back = reverse("contact:child", args=[child.pk])
    form = f.ArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_arrangement(
                actor=user, plan=plan, kind=d["kind"], with_name=d["with_name"], relationship=d["relationship"],
                start_on=d["start_on"], end_on=d["end_on"], times_a_year=d["times_a_year"], months=d["months"],
                day_of_month=d["day_of_month"] or 1, letterbox_ways=d["letterbox_ways"] or "both",
                notes=d["notes"])
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, "The arrangement has been added.")
            return redirect(back)
    return _form_page(request, form, title="Add a contact arrangement", caption=child.full_name, back=back,
                      button="Add the arrangement")


def record_review(request, pk: int):
    user = request.user
    child = access.get_contact_child_for(user, pk)
    _require_recorder(user)
    plan = ContactPlan.objects.filter(child=child).first()
    if plan is None:
        raise Http404("No contact plan found")
    audit.viewed(request, child)  # the form shows the child's contact plan (issue 15)
    back = reverse("contact:child", args=[child.pk])
    form = f.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_review(actor=user, plan=plan, held_on=d["held_on"], outcome=d["outcome"],
                                   changes=d["changes"])
        except ValidationError as e:
            _errors(form, e)
        else:
            plan.refresh_from_db()
            messages.success(request, f"The review has been recorded. The next review is due on "
                                      f"{plan.next_review_due:%-d %B %Y}.")
            return redirect(back)
    return _form_page(request, form, title="Record a review of the contact arrangements", caption=child.full_name,
                      back=back, button="Record the review")


# ---------------------------------------------------------------------------------------------
# A letterbox exchange and its steps


def exchange(request, pk: int):
    user = request.user
    x = access.get_letterbox_exchange_for(user, pk)
    today = services.today()
    row = selectors.exchange_row(x, today, selectors.contact_timescales(today))
    child = x.arrangement.plan.child
    _viewed(request, x, child.pk)
    facts = x.facts()
    steps = [(s, rules.STEP_LABELS[s]) for s in rules.Step
             if rules.step_refusal(facts, s, today, today, reason="-") is None]
    return render(request, "contact/exchange.html", {"x": x, "row": row, "child": child, "today": today,
                                                     "steps": steps if access.can_record_contact(user) else []})


STEP_TITLES = {rules.Step.RECEIVED: "Record received", rules.Step.READ: "Record read",
               rules.Step.REDACTED: "Record redacted", rules.Step.FORWARDED: "Record forwarded"}


def exchange_step(request, pk: int, step: str):
    user = request.user
    x = access.get_letterbox_exchange_for(user, pk)
    try:
        step = rules.Step(step)
    except ValueError:
        raise Http404("No such step") from None
    _require_recorder(user)
    back = reverse("contact:exchange", args=[x.pk])
    form = f.StepForm(request.POST or None, step=step)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_step(actor=user, exchange=x, step=step, on=d["on"], reason=d.get("reason", ""),
                                 notes=d.get("notes", ""))
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, f"The exchange has been recorded as {rules.STEP_LABELS[step]}.")
            return redirect(back)
    return _form_page(request, form, title=STEP_TITLES[step], caption=f"{x.reference} · {x}", back=back,
                      button=STEP_TITLES[step])


# ---------------------------------------------------------------------------------------------
# Birth relatives' support


def record_offer(request, pk: int):
    user = request.user
    child = access.get_contact_child_for(user, pk)
    audit.viewed(request, child)  # the page shows the record: a view (issue 15)
    _require_recorder(user)
    back = reverse("contact:child", args=[child.pk])
    form = f.OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_offer(actor=user, child=child, **form.cleaned_data)
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, "The offer of support has been recorded.")
            return redirect(back)
    return _form_page(request, form, title="Record an offer of independent support", caption=child.full_name,
                      back=back, button="Record the offer")


def offer_response(request, pk: int):
    user = request.user
    offer = access.get_birth_relative_offer_for(user, pk)
    audit.viewed(request, offer)  # the page shows the record: a view (issue 15)
    _require_recorder(user)
    back = reverse("contact:child", args=[offer.child_id])
    form = f.ResponseForm(request.POST or None, initial={"response": offer.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_response(actor=user, offer=offer, **form.cleaned_data)
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, "The response has been recorded.")
            return redirect(back)
    return _form_page(request, form, title=f"Record {offer.relative_name}'s response", caption=offer.reference,
                      back=back, button="Record the response")


def offer_session(request, pk: int):
    user = request.user
    offer = access.get_birth_relative_offer_for(user, pk)
    audit.viewed(request, offer)  # the page shows the record: a view (issue 15)
    _require_recorder(user)
    back = reverse("contact:child", args=[offer.child_id])
    form = f.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_session(actor=user, offer=offer, **form.cleaned_data)
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, "The session has been recorded.")
            return redirect(back)
    return _form_page(request, form, title=f"Record a support session with {offer.relative_name}",
                      caption=offer.reference, back=back, button="Record the session")


# ---------------------------------------------------------------------------------------------
# The RAA's review intervals


def contact_settings(request):
    user = request.user
    _require_support(user)
    raa = access.support_raa_for(user)
    if not access.can_set_contact_settings(user, raa):
        raise PermissionDenied("Only team managers and the head of service set the review intervals.")
    t = selectors.contact_timescales(services.today(), raa)
    own = ContactSettings.objects.filter(raa=raa).first()  # none until the RAA first sets its own
    form = f.SettingsForm(request.POST or None, initial={"first_review_months": t.first_review_months,
                                                        "later_review_months": t.later_review_months},
                          versioned=own, creates=True)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.set_review_intervals(actor=user, raa=raa, **form.cleaned_data)
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            messages.success(request, "The review intervals have been set. Every contact plan's next review has "
                                      "been worked out again.")
            return redirect("contact:reviews")
    return _form_page(request, form, title="Contact review intervals", caption=raa.name,
                      back=reverse("contact:reviews"), button="Set the intervals")
