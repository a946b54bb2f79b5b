"""Pages: the RAA's blueprint reviews (list, record, one review) and the results (mean and mode per domain
across chosen reviews, the RAA against the others and against its own last review).

Nobody outside the RAA's head of service, team managers and quality lead sees these (a 404). Other RAAs appear
only as aggregates. The pages show no one's personal data; a review's page is logged in the record-view log
all the same, as every record page is.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.blueprint import forms as f
from permanence.blueprint import rules, selectors, services
from permanence.blueprint.models import BlueprintReview
from permanence.core import audit
from permanence.core.clock import today
from permanence.core.forms import show_service_errors


def _raa(request):
    raa = access.blueprint_raa_for(request.user)
    if raa is None:
        raise Http404("Not allowed")
    return raa


def reviews(request):
    raa = _raa(request)
    rows = access.blueprint_reviews_visible_to(request.user)
    return render(request, "blueprint/reviews.html", {"raa": raa, "reviews": rows})


@require_http_methods(["GET", "POST"])
def review_add(request):
    raa = _raa(request)
    version = services.current_version(today()) or services.current_version()
    if version is None:
        raise Http404("No blueprint template")
    form = f.ReviewForm(request.POST if request.method == "POST" else None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_review(actor=request.user, raa=raa, version=version,
                                            reviewed_on=form.cleaned_data["reviewed_on"],
                                            reviewer=form.cleaned_data["reviewer"], scores=form.scores(),
                                            today=today())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The review has been recorded.")
            return redirect("blueprint:review", review.pk)
    return render(request, "blueprint/review_form.html", {"form": form, "version": version, "raa": raa})


def review(request, pk):
    _raa(request)
    row = access.get_blueprint_review_for(request.user, pk)
    audit.record_view(viewer=request.user, instance=row, path=request.get_full_path())
    scores = row.scores.select_related("domain")
    return render(request, "blueprint/review.html", {"review": row, "scores": scores,
                                                     "labels": rules.SCORE_LABELS})


def results(request):
    raa = _raa(request)
    version = services.current_version()
    form = f.ResultsForm(request.GET or None)
    start = end = None
    latest_only = True
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        latest_only = form.cleaned_data.get("which") != "all"
    domains = list(version.domains.all()) if version else []
    numbers = [d.number for d in domains]
    context = {"form": form, "version": version, "raa": raa, "start": start, "end": end,
               "latest_only": latest_only}
    if version is None:
        return render(request, "blueprint/results.html", context)
    keys = selectors.review_keys(version)
    chosen = rules.chosen(keys, start=start, end=end, latest_only=latest_only)
    scores = selectors.scores_of([k.id for k in chosen])
    summaries = rules.summarise_domains(numbers, [scores[k.id] for k in chosen])
    own_key = f"org:{raa.pk}"
    own_chosen = [k for k in chosen if k.raa == own_key]
    comparison = None
    if own_chosen:
        mine = own_chosen[-1]
        previous = rules.previous_of(keys, mine)
        extra = selectors.scores_of([previous.id]) if previous else {}
        others = [scores[k.id] for k in chosen if k.raa != own_key]
        comparison = {
            "review": BlueprintReview.objects.get(pk=mine.id),
            "previous": BlueprintReview.objects.get(pk=previous.id) if previous else None,
            "others_n": len({k.raa for k in chosen if k.raa != own_key}),
            "rows": [(d, row, rules.bar_percent(row.score), rules.bar_percent(row.others.mean))
                     for d, row in zip(domains, rules.compare(numbers, scores[mine.id], others,
                                                              extra.get(previous.id) if previous else None),
                                       strict=True)],
        }
    context |= {
        "n_reviews": len(chosen), "n_raas": len({k.raa for k in chosen}),
        "rows": [(d, summaries[d.number], rules.bar_percent(summaries[d.number].mean)) for d in domains],
        "comparison": comparison,
    }
    return render(request, "blueprint/results.html", context)
