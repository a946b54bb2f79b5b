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
from permanence.blueprint.models import BlueprintReview, BlueprintVersion
from permanence.core import audit, tables
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
            final = request.POST.get("action") == "final"
            review = services.record_review(actor=request.user, raa=raa, version=version,
                                            reviewed_on=form.cleaned_data["reviewed_on"],
                                            reviewer=form.cleaned_data["reviewer"], scores=form.scores(),
                                            today=today(), final=final)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The review has been recorded and marked final." if final else
                             "The review has been saved as a draft. Change it until it is marked final.")
            return redirect("blueprint:review", review.pk)
    return render(request, "blueprint/review_form.html", {"form": form, "version": version, "raa": raa})


@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    """A draft's date, reviewer, scores, commentary and evidence changed; a final review is read-only."""
    raa = _raa(request)
    row = access.get_blueprint_review_for(request.user, pk)
    if row.is_final:
        messages.info(request, f"{services.FINAL_MESSAGE}.")
        return redirect("blueprint:review", row.pk)
    audit.record_view(viewer=request.user, instance=row, path=request.get_full_path())
    initial = {"reviewed_on": row.reviewed_on, "reviewer": row.reviewer}
    for s in row.scores.select_related("domain"):
        initial |= {f"score_{s.domain.number}": "" if s.score is None else str(s.score),
                    f"commentary_{s.domain.number}": s.commentary, f"evidence_{s.domain.number}": s.evidence}
    form = f.ReviewForm(request.POST if request.method == "POST" else None, version=row.version, initial=initial,
                        versioned=row)
    if request.method == "POST" and form.is_valid():
        try:
            with form.saving():
                services.update_review(actor=request.user, review=row, reviewed_on=form.cleaned_data["reviewed_on"],
                                       reviewer=form.cleaned_data["reviewer"], scores=form.scores(), today=today())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The draft review has been changed.")
            return redirect("blueprint:review", row.pk)
    return render(request, "blueprint/review_form.html", {"form": form, "version": row.version, "raa": raa,
                                                          "review": row})


@require_http_methods(["POST"])
def review_final(request, pk):
    _raa(request)
    row = access.get_blueprint_review_for(request.user, pk)
    try:
        services.finalise_review(actor=request.user, review=row)
    except ValidationError as err:
        messages.info(request, " ".join(err.messages) + ".")
    else:
        messages.success(request, "The review is marked final: it is read-only and counted in the results.")
    return redirect("blueprint:review", row.pk)


def review(request, pk):
    _raa(request)
    row = access.get_blueprint_review_for(request.user, pk)
    audit.record_view(viewer=request.user, instance=row, path=request.get_full_path())
    scores = row.scores.select_related("domain")
    return render(request, "blueprint/review.html", {"review": row, "scores": scores,
                                                     "labels": rules.SCORE_LABELS,
                                                     "can_change": not row.is_final})


def _versions():
    """Every version of the template, the newest first (the results' default)."""
    newest = services.current_version()
    rows = list(BlueprintVersion.objects.order_by("-valid_from", "-version"))
    return newest, rows


def results_context(request) -> dict:
    """The results the page, the PDF and the spreadsheet show: one version of the template (never mixed), the
    reviews chosen in it, mean and mode per domain, and the user's RAA against the others and its last review."""
    raa = _raa(request)
    newest, versions = _versions()
    form = f.ResultsForm(request.GET or None, versions=versions, initial={"version": getattr(newest, "version", None)})
    start = end = None
    latest_only = True
    version = newest
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        latest_only = form.cleaned_data.get("which") != "all"
        chosen_version = form.cleaned_data.get("version")
        if chosen_version not in (None, ""):
            version = next(v for v in versions if v.version == chosen_version)
    context = {"form": form, "version": version, "versions": versions, "newest": newest, "raa": raa,
               "start": start, "end": end, "latest_only": latest_only}
    if version is None:
        return context
    domains = list(version.domains.all())
    numbers = [d.number for d in domains]
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
        review = BlueprintReview.objects.get(pk=mine.id)
        comparison = {
            "review": review,
            "previous": BlueprintReview.objects.get(pk=previous.id) if previous else None,
            # The RAA's last review before this one against another version: named, never compared.
            "previous_elsewhere": None if previous else selectors.earlier_review_elsewhere(review),
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
        "other_versions_n": selectors.reviews_of_other_versions(version, start=start, end=end),
    }
    return context


def results(request):
    context = results_context(request)
    context["can_download"] = access.can_export_blueprint(request.user) and context["version"] is not None
    return render(request, "blueprint/results.html", context)


def _score_text(value) -> str:
    return "Not scored" if value is None else str(value)


def results_tables(context) -> tuple[list[str], list[tables.Table]]:
    """The results page's figures as the download's notes and tables (the same numbers as the page)."""
    version, raa, comparison = context["version"], context["raa"], context["comparison"]
    start, end = context["start"], context["end"]
    notes = [
        f"{context['n_reviews']} review(s) of {context['n_raas']} RAA(s)"
        + (f" from {start:%-d %B %Y}" if start else "") + (f" to {end:%-d %B %Y}" if end else "")
        + (", the latest review of each RAA" if context["latest_only"] else ", every review") + ".",
        f"Template version {version.version}: {version.title}. Only reviews scored against this version are "
        "counted: scores from different versions of the template are never mixed."
        + (f" {context['other_versions_n']} review(s) in these dates against another version are not counted."
           if context["other_versions_n"] else ""),
        "Other RAAs are shown only together, never by name. A domain's n is the number of reviews that scored it; "
        "where scores tie for the most common, every tied score is the mode.",
    ]
    summary = tables.Table(
        title="Mean and mode per domain", headers=["Domain", "Title", "Mean", "Mode", "n"], numeric=frozenset({0, 2, 4}),
        rows=[[d.number, d.title, s.mean if s.mean is not None else "Not scored", s.mode_label, s.n]
              for d, s, _pct in context["rows"]])
    out = [summary]
    if comparison:
        review, previous = comparison["review"], comparison["previous"]
        notes.append(f"{raa.name}'s review of {review.reviewed_on:%-d %B %Y} against the other "
                     f"{comparison['others_n']} RAA(s) chosen"
                     + (f" and its previous review of {previous.reviewed_on:%-d %B %Y}." if previous
                        else "; no earlier review against this version to compare with."))
        out.append(tables.Table(
            title=f"{raa.name} against the others"[:31],
            headers=["Domain", "Title", raa.name, "Others' mean", "Others' mode", "Others' n", "Last review",
                     "Change"],
            numeric=frozenset({0, 2, 3, 5, 6}),
            rows=[[d.number, d.title, _score_text(row.score),
                   row.others.mean if row.others.mean is not None else "Not scored", row.others.mode_label,
                   row.others.n, _score_text(row.previous) if previous else "No earlier review",
                   row.change_label if previous else ""]
                  for d, row, _own, _others in comparison["rows"]]))
    else:
        notes.append(f"{raa.name} has no review among the reviews chosen.")
    return notes, out


def results_download(request, fmt: str):
    """The results as a PDF or a spreadsheet, for access.can_export_blueprint; logged as an export."""
    if not access.can_export_blueprint(request.user):
        raise Http404("Not allowed")
    context = results_context(request)
    if context["version"] is None or context["form"].errors:
        raise Http404("No results to download")
    notes, out = results_tables(context)
    filters = {"version": context["version"].version, "start": str(context["start"] or ""),
               "end": str(context["end"] or ""), "which": "latest" if context["latest_only"] else "all"}
    return tables.download(request, fmt=fmt, what="blueprint.results", filename="blueprint-results",
                           title=f"Blueprint review results: {context['raa'].name}", notes=notes, tables=out,
                           filters=filters)
