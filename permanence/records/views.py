"""Pages for records and data protection: the records due for disposal, disposing of one, and the subject access
export. Access through permanence.access (records); rules in records.rules; writes in records.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.core.forms import show_service_errors
from permanence.core.templatetags.govuk import govuk_date
from permanence.records import forms as f
from permanence.records import rules, selectors, services, subject_access

PAGE_SIZE = 50


def _raa(user):
    raa = access.retention_raa_for(user)
    if raa is None:
        raise Http404("No records")
    return raa


def retention(request):
    """The records past their retention date, the longest overdue first, and the schedule in force."""
    raa = _raa(request.user)
    today = services.today()
    due = selectors.due_for_disposal(raa, today)
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/retention.html",
        {
            "raa": raa,
            "today": today,
            "page": page,
            "schedule": selectors.schedule(raa, today),
            "disposed_count": selectors.disposed_of(raa).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def retention_period(request, category: str):
    """Set the RAA's own retention period for one category, from a date (a new row; the history stays)."""
    raa = _raa(request.user)
    about = rules.CATEGORIES.get(category)
    if about is None:
        raise Http404("No such category")
    today = services.today()
    years, source = selectors.period_in_force(raa, category, today)
    form = f.RetentionPeriodForm(request.POST if request.method == "POST" else None, category=about,
                                 initial={"effective_from": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_period(actor=request.user, raa=raa, category=category, **form.cleaned_data)
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            data = form.cleaned_data
            messages.success(request, f"{about.name}: kept for {data['years']} years from "
                                      f"{govuk_date(data['effective_from'])}.")
            return redirect(reverse("records:retention") + "#schedule")
    return render(request, "records/retention_period.html", {
        "form": form, "category": about, "years": years, "source": source, "raa": raa, "today": today,
        "history": selectors.periods_set(raa, category),
    })


@require_http_methods(["GET", "POST"])
def dispose(request, kind: str, pk: int):
    user = request.user
    _raa(user)
    record = access.get_retention_record_for(user, kind, pk)
    today = services.today()
    kept = selectors.retention_of(kind, record, today)
    form = f.DisposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stub = services.dispose(
                actor=user, kind=kind, record=record, reason=form.cleaned_data["reason"], on=today
            )
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            messages.success(request, f"The personal data in {stub.reference} has been disposed of.")
            return redirect(reverse("records:retention"))
    reference = record.reference if kind != "enquiry" else f"E{record.pk:06d}"
    return render(
        request,
        "records/dispose.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": selectors.KIND_LABELS[kind],
            "reference": reference,
            "kept": kept,
            "today": today,
            "due": kept is not None and kept.is_due(today),
        },
    )


@require_http_methods(["GET", "POST"])
def subject_access_export(request, kind: str, pk: int):
    """A person's data as a ZIP (JSON, a readable HTML page and a PDF); logged as an export."""
    user = request.user
    if not access.can_export_subject_access(user) or kind not in subject_access.KINDS:
        raise Http404("No export")
    subject = access.get_subject_for(user, kind, pk)
    about = subject_access.KINDS[kind]
    form = f.SubjectAccessForm(request.POST if request.method == "POST" else None,
                               choices=subject_access.free_text_choices(subject))
    if request.method == "POST" and form.is_valid():
        return subject_access.response(request, subject, extra=form.cleaned_data["redact"])
    back_url, back_text = about.back(subject)
    return render(
        request,
        "records/subject_access.html",
        {"form": form, "kind": about, "name": about.name(subject), "reference": about.reference(subject),
         "back_url": back_url, "back_text": back_text},
    )
