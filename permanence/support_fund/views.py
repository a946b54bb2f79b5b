"""Pages: the RAA's commissioned providers, the fair access limit table, support plans and fund applications.

Nobody outside the RAA's adoption support team and its managers sees any of these (a 404, as for a record that
does not exist); a member of the team who may read but not change (the head of service on a plan) gets a 403.
Every page showing a record logs the view; every change goes through services (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.core import audit, exports
from permanence.core.forms import show_service_errors
from permanence.support_fund import forms as f
from permanence.support_fund import rules, selectors, services
from permanence.support_fund.models import FairAccessLimit

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404("Not allowed")


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
    form = f.ProviderForm(request.POST or None)
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
    form = f.ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
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
    form = f.CommissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
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
    form = f.FairAccessLimitForm(request.POST or None) if can_set else None
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
