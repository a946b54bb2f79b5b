"""Pages of the disruption learning reviews: the list, opening one, a review with its recommendations, the
recommendations due (overdue first), and the themes across reviews.

Nobody but the RAA's managers and quality lead sees them (a 404, as for a record that does not exist). Every
page showing a review or a child's disruption logs the view; every change goes through services (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from permanence import access
from permanence.core import audit, tables
from permanence.core.forms import show_service_errors
from permanence.disruptions import forms as f
from permanence.disruptions import rules, selectors, services
from permanence.disruptions.models import Factor
from permanence.organisations.models import Staff


def _require(user) -> None:
    if not access.can_record_learning_reviews(user):
        raise Http404("Not allowed")


def _viewed(request, instance, child_id=None) -> None:
    audit.record_view(viewer=request.user, instance=instance, path=request.get_full_path(), child_id=child_id)


def _staff(raa):
    return Staff.objects.filter(organisation=raa, is_active=True).order_by("last_name", "first_name", "username")


def review_list(request):
    user = request.user
    _require(user)
    reviews = access.learning_reviews_visible_to(user).select_related("child", "child__la", "chair")
    waiting = selectors.unreviewed_disruptions(access.reviewable_children_for(user))[:50]
    return render(request, "disruptions/list.html", {"reviews": reviews, "waiting": waiting})


@require_http_methods(["GET", "POST"])
def review_open(request, child_pk: int):
    user = request.user
    _require(user)
    child = access.get_reviewable_child_for(user, child_pk)
    _viewed(request, child, child.pk)
    disruptions = list(selectors.disruptions_of(child))
    adopted = selectors.adoption_order_of(child) is not None
    if not disruptions and not adopted:
        raise Http404("No disruption to review")
    today = services.today()
    factor_list = selectors.list_in_force(today)
    factors = factor_list.factors.all() if factor_list else Factor.objects.none()
    initial = {"review_date": today, "chair": user.pk}
    if request.GET.get("event"):
        initial["disruption"] = request.GET["event"]
    elif request.GET.get("after") and adopted:
        initial["disruption"] = f.AFTER_ORDER
    form = f.ReviewForm(request.POST if request.method == "POST" else None, initial=initial, disruptions=disruptions,
                        adopted=adopted, staff=_staff(child.la.raa), factors=factors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = next((e for e in disruptions if str(e.pk) == data["disruption"]), None)
        try:
            review = services.open_review(
                actor=user, child=child, review_date=data["review_date"], chair=data["chair"],
                factors=data["factors"], findings=data["findings"], disruption_event=event,
                disruption_date=data["disruption_date"] if event is None else None,
                description=data["description"] if event is None else "")
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The learning review has been recorded. Add its recommendations.")
            return redirect("disruptions:review", pk=review.pk)
    return render(request, "disruptions/open.html", {"child": child, "form": form, "factor_list": factor_list})


def review_detail(request, pk: int):
    user = request.user
    _require(user)
    review = access.get_learning_review_for(user, pk)
    _viewed(request, review, review.child_id)
    today = services.today()
    recs = [{"rec": r, "overdue": rules.is_overdue(r.status, r.due_date, today)}
            for r in review.recommendations.select_related("owner")]
    form = f.RecommendationForm(staff=_staff(review.raa))
    return render(request, "disruptions/review.html", {"review": review, "recs": recs, "form": form,
                                                       "factors": review.factors.all()})


@require_http_methods(["GET", "POST"])
def review_edit(request, pk: int):
    """A draft review's details changed; a final one is read-only (back to its page, saying so)."""
    user = request.user
    _require(user)
    review = access.get_learning_review_for(user, pk)
    if review.is_final:
        messages.info(request, services.FINAL_MESSAGE)
        return redirect("disruptions:review", pk=review.pk)
    _viewed(request, review, review.child_id)
    after_order = review.when == review.When.AFTER_ORDER
    initial = {"review_date": review.review_date, "chair": review.chair_id, "findings": review.findings,
               "factors": list(review.factors.values_list("pk", flat=True)),
               "disruption_date": review.disruption_date, "description": review.description}
    form = f.ChangeForm(request.POST if request.method == "POST" else None, initial=initial, after_order=after_order,
                        staff=_staff(review.raa), factors=review.factor_list.factors.all(), versioned=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with form.saving():
                services.update_review(actor=user, review=review, review_date=data["review_date"],
                                       chair=data["chair"], factors=data["factors"], findings=data["findings"],
                                       disruption_date=data.get("disruption_date"),
                                       description=data.get("description", ""))
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The draft learning review has been changed.")
            return redirect("disruptions:review", pk=review.pk)
    return render(request, "disruptions/change.html", {"review": review, "form": form,
                                                       "title": "Change the learning review"})


@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk: int, rec_pk: int):
    user = request.user
    _require(user)
    review = access.get_learning_review_for(user, pk)
    rec = access.get_recommendation_for(user, review, rec_pk)
    if review.is_final:
        messages.info(request, services.FINAL_MESSAGE)
        return redirect("disruptions:review", pk=review.pk)
    _viewed(request, review, review.child_id)
    form = f.RecommendationForm(request.POST if request.method == "POST" else None, staff=_staff(review.raa),
                                initial={"text": rec.text, "owner": rec.owner_id, "due_date": rec.due_date},
                                versioned=rec)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.update_recommendation(actor=user, recommendation=rec, text=form.cleaned_data["text"],
                                               owner=form.cleaned_data["owner"],
                                               due_date=form.cleaned_data["due_date"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The recommendation has been changed.")
            return redirect("disruptions:review", pk=review.pk)
    return render(request, "disruptions/change.html", {"review": review, "form": form,
                                                       "title": "Change the recommendation"})


@require_POST
def review_final(request, pk: int):
    user = request.user
    _require(user)
    review = access.get_learning_review_for(user, pk)
    try:
        services.finalise_review(actor=user, review=review)
    except ValidationError as err:
        messages.info(request, " ".join(err.messages))
    else:
        messages.success(request, "The learning review is marked final: it can no longer be changed.")
    return redirect("disruptions:review", pk=review.pk)


@require_POST
def recommendation_add(request, pk: int):
    user = request.user
    _require(user)
    review = access.get_learning_review_for(user, pk)
    form = f.RecommendationForm(request.POST, staff=_staff(review.raa))
    if form.is_valid():
        try:
            services.add_recommendation(actor=user, review=review, text=form.cleaned_data["text"],
                                        owner=form.cleaned_data["owner"], due_date=form.cleaned_data["due_date"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The recommendation has been added.")
            return redirect("disruptions:review", pk=review.pk)
    _viewed(request, review, review.child_id)
    today = services.today()
    recs = [{"rec": r, "overdue": rules.is_overdue(r.status, r.due_date, today)}
            for r in review.recommendations.select_related("owner")]
    return render(request, "disruptions/review.html", {"review": review, "recs": recs, "form": form,
                                                       "factors": review.factors.all()}, status=400)


@require_POST
def recommendation_done(request, pk: int, rec_pk: int):
    user = request.user
    _require(user)
    review = access.get_learning_review_for(user, pk)
    rec = access.get_recommendation_for(user, review, rec_pk)
    try:
        services.mark_done(actor=user, recommendation=rec, on=services.today())
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, "The recommendation is marked as done.")
    return redirect("disruptions:review", pk=review.pk)


def recommendations_due(request):
    user = request.user
    _require(user)
    today = services.today()
    rows = [{"rec": r, "overdue": rules.is_overdue(r.status, r.due_date, today)}
            for r in selectors.recommendations_due(access.learning_reviews_visible_to(user))]
    return render(request, "disruptions/recommendations.html", {"rows": rows})


def _themes_context(request) -> dict:
    user = request.user
    form = f.PeriodForm(request.GET or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    reviews = access.learning_reviews_visible_to(user)
    if start:
        reviews = reviews.filter(review_date__gte=start)
    if end:
        reviews = reviews.filter(review_date__lte=end)
    result = rules.factor_themes(selectors.review_facts(reviews), start, end)
    counts = rules.recommendation_counts(selectors.recommendation_facts(reviews), services.today())
    rows = [{"factor": r.factor, "total": r.total, "cells": [r.by_la[la] for la in result.las]} for r in result.rows]
    return {"form": form, "themes": result, "rows": rows, "counts": counts, "start": start, "end": end}


def themes(request):
    _require(request.user)
    context = _themes_context(request)
    context["can_download"] = access.can_export_learning_reviews(request.user)
    return render(request, "disruptions/themes.html", context)


def themes_download(request, fmt: str):
    """The themes across reviews (factor counts in total and by LA, and the recommendations' counts) as a PDF or
    a spreadsheet, for access.can_export_learning_reviews; logged as an export."""
    if not access.can_export_learning_reviews(request.user):
        raise Http404("Not allowed")
    context = _themes_context(request)
    if context["form"].errors:
        raise Http404("Not found")
    result, counts, start, end = context["themes"], context["counts"], context["start"], context["end"]
    period = (f" held from {start:%-d %B %Y}" if start else "") + (f" to {end:%-d %B %Y}" if end else "")
    notes = [f"{result.reviews} learning review(s){period}. A review counts each contributing factor it chose "
             "once; the factors are those of the list version each review used."]
    out = [
        tables.Table(title="Contributing factors", headers=["Factor", "Reviews", *result.las],
                     numeric=frozenset(range(1, len(result.las) + 2)),
                     rows=[[r["factor"], r["total"], *r["cells"]] for r in context["rows"]],
                     empty="No contributing factor was chosen by a review in this period."),
        tables.Table(title="Recommendations", headers=["Recommendations of these reviews", "Number"],
                     numeric=frozenset({1}),
                     rows=[["Open", counts.open], ["of which overdue", counts.overdue], ["Done", counts.done]]),
    ]
    return tables.download(request, fmt=fmt, what="disruptions.themes", filename="learning-review-themes",
                           title="Themes across learning reviews", notes=notes, tables=out,
                           filters={"start": str(start or ""), "end": str(end or "")})
