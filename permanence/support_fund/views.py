"""Pages: the RAA's commissioned providers, the fair access limit table, support plans and fund applications.

Nobody outside the RAA's adoption support team and its managers sees any of these (a 404, as for a record that
does not exist); a member of the team who may read but not change (the head of service on a plan) gets a 403.
Every page showing a record logs the view; every change goes through services (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.core import audit, exports, listing
from permanence.core.forms import show_service_errors
from permanence.support_fund import forms as f
from permanence.support_fund import rules, selectors, services
from permanence.support_fund.models import FairAccessLimit

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not allowed")


def _posted(request):
    """The posted data, or None for a GET (an empty post is still a post: its form shows what is missing)."""
    return request.POST if request.method == "POST" else None


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def case_url(case) -> str:
    """The support case's own page (the support app's), else this app's section of it as a page."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("support:case", args=[case.pk])
    except NoReverseMatch:
        return reverse("support_fund:case", args=[case.pk])


def _viewed(request, instance, child_id=None) -> None:
    audit.record_view(viewer=request.user, instance=instance, path=request.get_full_path(), child_id=child_id)


# ---------------------------------------------------------------------------------------------
# The commissioned provider list


def _providers(request, user):
    form = f.ProviderFilterForm(request.GET or None)
    qs = access.support_providers_visible_to(user).prefetch_related("commissions")
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        if d.get("tier"):
            qs = qs.filter(tier=d["tier"])
            filters["tier"] = d["tier"]
        if d.get("in_force"):
            qs = selectors.in_force_on(qs, services.today())
            filters["in_force"] = True
    return form, qs.order_by("name", "pk"), filters


def _commissions_in_force(provider, on):
    return [c for c in provider.commissions.all() if c.in_force(on)]


PROVIDER_COLUMNS = [
    exports.Column("Provider", lambda p: p.name),
    exports.Column("Tier", lambda p: p.tier_label),
    exports.Column("Services", lambda p: p.services),
    exports.Column("Registration number", lambda p: p.registration_number),
    exports.Column("Commissions", lambda p: len(p.commissions.all())),
    exports.Column("Latest commission starts", lambda p: max((c.start_date for c in p.commissions.all()), default=None)),
    exports.Column("Latest commission ends", lambda p: max((c.end_date for c in p.commissions.all() if c.end_date),
                                                           default=None)),
]


def provider_list(request):
    user = request.user
    _require(access.can_see_support(user))
    form, qs, _filters = _providers(request, user)
    page = listing.paginate(request, qs, PAGE_SIZE)
    today = services.today()
    for p in page.object_list:
        p.live = _commissions_in_force(p, today)
    return render(request, "support_fund/provider_list.html", {
        "form": form, "page_obj": page, "providers": page.object_list,
        "can_keep": access.can_keep_provider_list(user), "can_export": access.can_export_support_fund(user),
    })


def provider_export(request, fmt: str):
    user = request.user
    _require(access.can_see_support(user))
    _require(access.can_export_support_fund(user))
    _form, qs, filters = _providers(request, user)
    return exports.export_response(request, rows=qs, columns=PROVIDER_COLUMNS, what="support_fund.providers",
                                   fmt=fmt, filename="support-providers", filters=filters)


def provider_detail(request, pk):
    user = request.user
    provider = access.get_support_provider_for(user, pk)
    _viewed(request, provider)
    today = services.today()
    commissions = list(provider.commissions.all())
    for c in commissions:
        c.live = c.in_force(today)
    return render(request, "support_fund/provider_detail.html", {
        "provider": provider, "commissions": commissions, "can_keep": access.can_keep_provider_list(user),
    })


@require_http_methods(["GET", "POST"])
def provider_add(request):
    user = request.user
    _require(access.can_see_support(user))
    _forbid_unless(access.can_keep_provider_list(user))
    form = f.ProviderForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.add_provider(actor=user, raa=access.support_raa_for(user), **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{provider.name} has been added to the provider list.")
            return redirect("support_fund:provider", provider.pk)
    return render(request, "support_fund/provider_form.html", {"form": form, "provider": None})


@require_http_methods(["GET", "POST"])
def provider_edit(request, pk):
    user = request.user
    provider = access.get_support_provider_for(user, pk)
    _forbid_unless(access.can_keep_provider_list(user))
    initial = {k: getattr(provider, k) for k in services.PROVIDER_FIELDS}
    form = f.ProviderForm(_posted(request), initial=initial, versioned=provider)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.change_provider(actor=user, provider=provider, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The provider's details have been saved.")
            return redirect("support_fund:provider", provider.pk)
    _viewed(request, provider)
    return render(request, "support_fund/provider_form.html", {"form": form, "provider": provider})


@require_http_methods(["GET", "POST"])
def commission_form(request, pk, commission_pk=None):
    user = request.user
    provider = access.get_support_provider_for(user, pk)
    commission = access.get_commission_for(user, provider, commission_pk) if commission_pk else None
    _forbid_unless(access.can_keep_provider_list(user))
    initial = {k: getattr(commission, k) for k in services.COMMISSION_FIELDS} if commission else None
    form = f.CommissionForm(_posted(request), initial=initial, versioned=commission)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                if commission:
                    services.change_commission(actor=user, commission=commission, **form.cleaned_data)
                else:
                    services.add_commission(actor=user, provider=provider, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The commission has been saved.")
            return redirect("support_fund:provider", provider.pk)
    return render(request, "support_fund/commission_form.html", {
        "form": form, "provider": provider, "commission": commission})


# ---------------------------------------------------------------------------------------------
# The fair access limit


@require_http_methods(["GET", "POST"])
def limits(request):
    """The fund's fair access limit by financial year, with its source; a system administrator records one."""
    user = request.user
    _require(access.can_see_fair_access_limits(user))
    can_set = access.can_set_fair_access_limits(user)
    if request.method == "POST":
        _forbid_unless(can_set)
    form = f.FairAccessLimitForm(_posted(request)) if can_set else None
    if request.method == "POST" and form.is_valid():
        try:
            row = services.set_fair_access_limit(actor=user, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The fair access limit from {row.financial_year_label} has been saved.")
            return redirect("support_fund:limits")
    return render(request, "support_fund/limits.html", {
        "rows": FairAccessLimit.objects.all(), "form": form,
        "this_year": rules.financial_year_label(rules.financial_year(services.today())),
        "in_force": rules.limit_for(selectors.limits(), rules.financial_year(services.today())),
    })


# ---------------------------------------------------------------------------------------------
# A support case's plans and fund applications


def _case(request, pk):
    return access.get_support_case_for(request.user, pk)


def _plan_of(request, case, plan_pk):
    plan = access.get_support_plan_for(request.user, plan_pk)
    if plan.case_id != case.pk:
        raise Http404("No support plan found")
    return plan


def case_section_context(user, case, today=None) -> dict:
    """What `support_fund/_case_section.html` shows on the support case's page: its plans (review due, flagged
    when overdue), its fund applications and the child's headroom under the fair access limit this year."""
    today = today or services.today()
    plans = list(access.support_plans_visible_to(user).filter(case=case).prefetch_related("services__provider"))
    for p in plans:
        p.overdue = p.review_overdue(today)
    applications = list(access.fund_applications_visible_to(user).filter(case=case).order_by("-pk"))
    return {"case": case, "plans": plans, "fund_applications": applications,
            "headroom_text": headroom_text(case, today),
            "can_record_fund": access.can_record_support_fund(user) and case.raa_id == access.support_raa_for(
                user).pk, "today": today}


def headroom_text(case, on, exclude=None) -> str:
    """What is left of the child's fair access limit in the financial year of `on`, in words."""
    checks = {kind: services.limit_check(case=case, kind=kind, amount=0, on=on, exclude=exclude)
              for kind in rules.ApplicationType}
    first = checks[rules.ApplicationType.THERAPY]
    year = f"in {first.year_label}"
    if first.limit is None:
        return f"No fair access limit is recorded for {first.year_label}."
    if first.limit.combined is not None:
        return (f"Left under the fair access limit for this child {year}: {_money(first.headroom)} of "
                f"{_money(first.cap)} (therapy and specialist assessments together, approved and pending "
                "applications counted).")
    parts = [f"{rules.APPLICATION_TYPE_LABELS[k].lower()} {_money(c.headroom)} of {_money(c.cap)}"
             for k, c in checks.items() if c.cap is not None]
    return (f"Left under the fair access limit for this child {year}: {'; '.join(parts)} (approved and pending "
            "applications counted).")


def case_fund(request, pk):
    """The case's support plans and fund applications (the section the case page includes, as a page)."""
    case = _case(request, pk)
    _viewed(request, case, child_id=case.child_id)
    return render(request, "support_fund/case_fund.html", case_section_context(request.user, case))


def _require_recording(user, case) -> None:
    _forbid_unless(access.can_record_support_fund(user) and access.support_raa_for(user).pk == case.raa_id)


@require_http_methods(["GET", "POST"])
def plan_form(request, pk, plan_pk=None):
    user = request.user
    case = _case(request, pk)
    plan = _plan_of(request, case, plan_pk) if plan_pk else None
    _require_recording(user, case)
    audit.viewed(request, case, child_id=case.child_id)  # the form shows the case (issue 15)
    initial = {"start_date": plan.start_date, "review_date": plan.review_date, "summary": plan.summary} if plan \
        else None
    form = f.PlanForm(_posted(request), initial=initial, versioned=plan)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                if plan:
                    services.change_plan(actor=user, plan=plan, **form.cleaned_data)
                else:
                    plan = services.add_plan(actor=user, case=case, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The support plan has been saved. Add its services.")
            return redirect("support_fund:plan", case.pk, plan.pk)
    return render(request, "support_fund/plan_form.html", {"form": form, "case": case, "plan": plan})


def plan_detail(request, pk, plan_pk):
    user = request.user
    case = _case(request, pk)
    plan = _plan_of(request, case, plan_pk)
    _viewed(request, plan, child_id=case.child_id)
    today = services.today()
    tiers = [(rules.TIER_LABELS[t], [s for s in plan.services.select_related("provider") if s.tier == t])
             for t in rules.Tier]
    return render(request, "support_fund/plan_detail.html", {
        "case": case, "plan": plan, "tiers": tiers, "overdue": plan.review_overdue(today), "today": today,
        "can_record": access.can_record_support_fund(user),
    })


@require_http_methods(["GET", "POST"])
def plan_close(request, pk, plan_pk):
    user = request.user
    case = _case(request, pk)
    plan = _plan_of(request, case, plan_pk)
    _require_recording(user, case)
    audit.viewed(request, case, child_id=case.child_id)  # the form shows the case's plan (issue 15)
    form = f.CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.close_plan(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The support plan has been closed.")
            return redirect("support_fund:plan", case.pk, plan.pk)
    return render(request, "support_fund/plan_close.html", {"form": form, "case": case, "plan": plan})


@require_http_methods(["GET", "POST"])
def service_form(request, pk, plan_pk, service_pk=None):
    user = request.user
    case = _case(request, pk)
    plan = _plan_of(request, case, plan_pk)
    service = access.get_or_404(plan.services.all(), "service", pk=service_pk) if service_pk else None
    _require_recording(user, case)
    audit.viewed(request, case, child_id=case.child_id)  # the form shows the case's plan (issue 15)
    providers = list(access.support_providers_visible_to(user).order_by("name"))
    initial = None
    if service:
        initial = {"tier": service.tier, "description": service.description, "provider": str(service.provider_id),
                   "start_date": service.start_date, "end_date": service.end_date}
    form = f.ServiceForm(_posted(request), initial=initial or {"start_date": plan.start_date},
                         providers=providers, versioned=service)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["provider"] = next((p for p in providers if str(p.pk) == d["provider"]), None)
        try:
            with form.saving():
                if service:
                    services.change_service(actor=user, service=service, **d)
                else:
                    services.add_service(actor=user, plan=plan, **d)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The service has been saved.")
            return redirect("support_fund:plan", case.pk, plan.pk)
    live = {p.pk for p in selectors.in_force_on(access.support_providers_visible_to(user), services.today())}
    return render(request, "support_fund/service_form.html", {
        "form": form, "case": case, "plan": plan, "service": service,
        "providers": [(p, p.pk in live) for p in providers]})


# ---------------------------------------------------------------------------------------------
# Fund applications


def _money(value) -> str:
    return "" if value is None else f"£{value:,.2f}"


def _provider_choice(user, value):
    if not value:
        return None
    return access.support_providers_visible_to(user).filter(pk=value).first()


@require_http_methods(["GET", "POST"])
def application_form(request, pk=None, application_pk=None):
    """A new draft application on a case (pk), or a draft changed (application_pk). The child's headroom under
    this year's fair access limit is shown, and a draft that would breach it is flagged."""
    user = request.user
    application = access.get_fund_application_for(user, application_pk) if application_pk else None
    case = application.case if application else _case(request, pk)
    _require_recording(user, case)
    if application and application.status is not rules.Status.DRAFT:
        raise PermissionDenied
    audit.viewed(request, case, child_id=case.child_id)  # the form shows the case (issue 15)
    providers = list(access.support_providers_visible_to(user).order_by("name"))
    initial = None
    if application:
        initial = {"kind": application.kind, "amount_requested": application.amount_requested,
                   "description": application.description, "provider": application.provider_id or ""}
    form = f.ApplicationForm(_posted(request), initial=initial, providers=providers, versioned=application)
    today = services.today()
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["provider"] = _provider_choice(user, d["provider"])
        try:
            with form.saving():
                if application:
                    application = services.change_application(actor=user, application=application, **d)
                else:
                    application = services.create_application(actor=user, case=case, **d)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"Draft application {application.reference} has been saved.")
            return redirect("support_fund:application", application.pk)
    return render(request, "support_fund/application_form.html", {
        "form": form, "case": case, "application": application,
        "headroom_text": headroom_text(case, today, exclude=application),
        "this_year": rules.financial_year_label(rules.financial_year(today))})


def application_detail(request, pk):
    user = request.user
    application = access.get_fund_application_for(user, pk)
    case = application.case
    _viewed(request, application, child_id=case.child_id)
    today = services.today()
    check = None
    if application.status is rules.Status.DRAFT:
        check = services.limit_check(case=case, kind=application.kind, amount=application.amount_requested,
                                     on=today, exclude=application)
    timescale = selectors.fund_timescale("asf_decision", application.submitted_on or today)
    due = timescale.due_from(application.submitted_on) if timescale and application.submitted_on else None
    return render(request, "support_fund/application_detail.html", {
        "application": application, "case": case, "check": check,
        "warning": services.over_limit_message(check) if check and check.breaches else "",
        "decision_due": due, "decision_late": bool(due and application.status is rules.Status.SUBMITTED
                                                   and today > due),
        "timescale": timescale, "can_record": access.can_record_support_fund(user),
        "status": application.status.value,
    })


def _application_step(request, pk, form_class, step, template_title, *, status):
    user = request.user
    application = access.get_fund_application_for(user, pk)
    _require_recording(user, application.case)
    if application.status is not status:
        raise PermissionDenied
    audit.viewed(request, application.case, child_id=application.case.child_id)  # the form shows the case
    form = form_class(_posted(request))
    check = None
    if step == "submit":
        day = services.today()
        if request.method == "POST" and form.is_valid():
            day = form.cleaned_data["submitted_on"] or day
        check = services.limit_check(case=application.case, kind=application.kind,
                                     amount=application.amount_requested, on=day, exclude=application)
    if request.method == "POST" and form.is_valid():
        fn = {"submit": services.submit_application, "decide": services.decide_application,
              "pay": services.record_payment}[step]
        try:
            fn(actor=user, application=application, **form.cleaned_data)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{template_title} has been recorded for {application.reference}.")
            return redirect("support_fund:application", application.pk)
    return render(request, "support_fund/application_step.html", {
        "form": form, "application": application, "case": application.case, "title": template_title,
        "check": check, "warning": services.over_limit_message(check) if check and check.breaches else ""})


@require_http_methods(["GET", "POST"])
def application_submit(request, pk):
    return _application_step(request, pk, f.SubmitForm, "submit", "The submission", status=rules.Status.DRAFT)


@require_http_methods(["GET", "POST"])
def application_decide(request, pk):
    return _application_step(request, pk, f.DecisionForm, "decide", "The fund's decision",
                             status=rules.Status.SUBMITTED)


@require_http_methods(["GET", "POST"])
def application_pay(request, pk):
    return _application_step(request, pk, f.PaymentForm, "pay", "The payment", status=rules.Status.APPROVED)


def application_pack(request, pk):
    """The application pack as a PDF without the family's identifying details: the child by reference and
    age, the family by the case's reference; no names, addresses or dates of birth."""
    from permanence.core import pdf

    user = request.user
    application = access.get_fund_application_for(user, pk)
    _require_recording(user, application.case)
    case = application.case
    today = services.today()
    born = case.child.date_of_birth if case.child_id else case.child_date_of_birth
    plan = access.support_plans_visible_to(user).filter(case=case).prefetch_related("services__provider").first()
    check = services.limit_check(case=case, kind=application.kind, amount=application.amount_requested,
                                 on=application.submitted_on or today, exclude=application)
    names = identifying_words(case)
    plan_services = []
    for s in (plan.services.all() if plan else []):
        s.text = redact(s.description, names)
        plan_services.append(s)
    exports.log_export(user=user, what="support_fund.application_pack", fmt="pdf", row_count=1,
                       path=request.get_full_path(), instance=application, child_id=case.child_id)
    return pdf.pdf_response(request, "support_fund/application_pack.pdf.html", {
        "application": application, "case_reference": case.reference, "age": rules.age_on(born, today),
        "raa": case.raa, "plan": plan, "services": plan_services, "check": check,
        "assessment_completed": case.completed_on, "description": redact(application.description, names),
        "over_limit_reason": redact(application.over_limit_reason, names),
    }, filename=f"{application.reference}-pack")


def identifying_words(case) -> list[str]:
    """The family's and the child's names as recorded on the case (each word of three letters or more)."""
    texts = [case.family_name, case.referrer_name, case.child_name]
    if case.child_id:
        texts += [case.child.first_name, case.child.last_name]
    words = {w.strip(".,;:()'\"") for t in texts if t for w in t.split()}
    return sorted((w for w in words if len(w) >= 3 and w.lower() != "family"), key=len, reverse=True)


def redact(text: str, names: list[str]) -> str:
    """`text` with every name in `names` replaced (whole words, any case)."""
    import re

    if not text or not names:
        return text or ""
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return pattern.sub("[name removed]", text)


# ---------------------------------------------------------------------------------------------
# The RAA's fund applications


def _applications(request, user):
    qs = access.fund_applications_visible_to(user).select_related("case", "provider")
    years = sorted({y for y in qs.values_list("financial_year", flat=True) if y is not None}, reverse=True)
    form = f.ApplicationFilterForm(request.GET or None, years=years)
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        if d.get("status"):
            qs = qs.filter(selectors.status_q(d["status"]))
            filters["status"] = d["status"]
        if d.get("year"):
            qs = qs.filter(financial_year=int(d["year"]))
            filters["year"] = d["year"]
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
            filters["kind"] = d["kind"]
    return form, qs.order_by("-submitted_on", "-pk"), filters


APPLICATION_COLUMNS = [
    exports.Column("Reference", lambda a: a.reference),
    exports.Column("Support case", lambda a: a.case.reference),
    exports.Column("Type", lambda a: a.kind_label),
    exports.Column("Status", lambda a: a.status_label),
    exports.Column("Financial year", lambda a: a.financial_year_label),
    exports.Column("Amount requested (£)", lambda a: a.amount_requested),
    exports.Column("Submitted", lambda a: a.submitted_on),
    exports.Column("Over the fair access limit", lambda a: a.over_limit),
    exports.Column("Decided", lambda a: a.decided_on),
    exports.Column("Decision", lambda a: a.get_decision_display()),
    exports.Column("Amount approved (£)", lambda a: a.amount_approved),
    exports.Column("Paid", lambda a: a.paid_on),
    exports.Column("Amount paid (£)", lambda a: a.amount_paid),
    exports.Column("Provider", lambda a: a.provider.name if a.provider_id else ""),
]


def application_list(request):
    """The RAA's support fund applications, filtered by status, financial year and type."""
    user = request.user
    _require(access.can_see_support(user))
    form, qs, _filters = _applications(request, user)
    page = listing.paginate(request, qs, PAGE_SIZE)
    return render(request, "support_fund/application_list.html", {
        "form": form, "page_obj": page, "applications": page.object_list,
        "can_export": access.can_export_support_fund(user),
    })


def application_export(request, fmt: str):
    user = request.user
    _require(access.can_see_support(user))
    _require(access.can_export_support_fund(user))
    _form, qs, filters = _applications(request, user)
    return exports.export_response(request, rows=qs, columns=APPLICATION_COLUMNS,
                                   what="support_fund.applications", fmt=fmt, filename="support-fund-applications",
                                   filters=filters)
