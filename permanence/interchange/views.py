"""SSDA903 pages: upload (with progress), results, conflicts to decide, export. Access via access."""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from permanence import access
from permanence.core import audit, exports, sorting
from permanence.interchange import jobs, selectors, services
from permanence.interchange.forms import DecideForm, UploadForm
from permanence.interchange.models import ImportBatch, ImportConflict
from permanence.interchange.ssda903 import tables as T
from permanence.jobs import services as jobs_services

logger = logging.getLogger(__name__)


def _require(user) -> None:
    if not access.can_use_903(user):
        raise Http404("Not found")


def upload(request):
    _require(request.user)
    las = access.las_for_903(request.user)
    limit = services.max_upload_bytes()
    status = 200
    problem = ""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            # Refused before the body is read.
            form = UploadForm(las=las)
            problem = (f"The upload is {services.size_label(length)}, over the {services.size_label(limit)} limit. "
                       "Upload fewer years at a time. Nothing was imported.")
            status = 413
        else:
            form = UploadForm(request.POST, request.FILES, las=las)
            if form.is_valid():
                try:
                    job = jobs.start_import(files=form.cleaned_data["files"], la=form.cleaned_data["la"],
                                            actor=request.user, dry_run=form.cleaned_data["dry_run"])
                except PermissionDenied:
                    raise Http404("Not found") from None
                except Exception:
                    logger.exception("SSDA903 import could not be queued")
                    form.add_error(None, "The import could not be started. Nothing was imported. Tell your system "
                                         "administrator.")
                else:
                    return redirect("interchange:job", pk=job.pk)
            status = 400
    else:
        form = UploadForm(las=las)
    recent = ImportBatch.objects.filter(la__in=las).select_related("la", "actor")[:10]
    return render(request, "interchange/upload.html", {
        "form": form, "problem": problem, "recent": recent, "limit": services.size_label(limit), "las": las,
        "jobs": access.import_jobs_for(request.user)[:10],
        "open_conflicts": ImportConflict.objects.filter(child__la__in=las, status="open").count(),
    }, status=status)


def _job_state(job) -> dict:
    batch_id = (job.result or {}).get("batch")
    return {"state": job.state, "label": job.get_state_display(), "stage": job.stage, "done": job.done,
            "total": job.total, "percent": job.percent, "finished": job.finished, "error": job.error,
            "result_url": reverse("interchange:batch", args=[batch_id]) if batch_id else None}


@never_cache
def job(request, pk: int):
    """An import or dry run's progress, refreshing itself (static/app/job-progress.js, or a meta refresh without
    JavaScript) until it ends; then its result, the import's page, or why it failed."""
    j = _seen(access.get_import_job_for(request.user, pk))
    state = _job_state(j)
    if j.state == j.State.SUCCEEDED and state["result_url"]:
        return redirect(state["result_url"])
    return render(request, "interchange/job.html", {"job": j, "state": state})


@never_cache
def job_progress(request, pk: int):
    """The same as JSON, for the page's script to poll."""
    return JsonResponse(_job_state(_seen(access.get_import_job_for(request.user, pk))))


def _seen(j):
    """A running job whose process on this machine has gone is shown as failed, not "Running" for ever."""
    if j.state == j.State.RUNNING and jobs_services.recover_stopped([j.pk]):
        j.refresh_from_db()
    return j


FIRST_OF_EACH_RULE = 5


def findings_by_rule(findings: list[dict]) -> list[dict]:
    """The findings grouped by what they are – a DfE rule's code, or the message of one of Permanence's own
    checks – errors first, then the most frequent: each with its count and its first rows."""
    groups: dict[tuple, dict] = {}
    for f in findings:
        key = (f.get("severity"), f.get("rule") or "", "" if f.get("rule") else f.get("message", ""))
        group = groups.setdefault(key, {"severity": key[0], "rule": key[1], "message": f.get("message", ""),
                                        "count": 0, "first": []})
        group["count"] += 1
        if len(group["first"]) < FIRST_OF_EACH_RULE:
            group["first"].append(f)
    return sorted(groups.values(), key=lambda g: (g["severity"] != "error", -g["count"], g["rule"], g["message"]))


def _finding_value(key: str):
    return lambda finding: finding.get(key)


FINDING_COLUMNS = [exports.Column(header, _finding_value(key)) for header, key in (
    ("Severity", "severity"), ("Rule", "rule"), ("File", "file"), ("Table", "table"), ("Row", "row"),
    ("Field", "field"), ("Child", "child"), ("Collection year", "year"), ("Problem", "message"))]


def batch_findings(request, pk: int):
    """Every finding of an import as a CSV (the page shows the first of each rule); logged as an export."""
    b = access.get_import_for(request.user, pk)
    return exports.export_response(request, rows=b.findings, columns=FINDING_COLUMNS, what="ssda903.findings",
                                   fmt="csv", filename=f"ssda903-import-{b.pk}-findings")


def batch(request, pk: int):
    b = access.get_import_for(request.user, pk)
    by_rule = findings_by_rule(b.findings)
    files = [{**f, "tables": [{**t, "year_label": T.year_label(t["year"]) if t.get("year") else "unknown"}
                              for t in f.get("tables", [])]} for f in b.files]
    can_import = b.status == ImportBatch.Status.DRY_RUN and access.can_import_for(request.user, b.la)
    return render(request, "interchange/batch.html", {
        "can_import": can_import, "can_confirm": can_import and jobs.dry_run_job(b) is not None,
        "keep_hours": jobs_services.KEEP_FILES_HOURS, "first_of_each": FIRST_OF_EACH_RULE,
        "batch": b, "by_rule": by_rule, "files": files,
        "years": [T.year_label(y) for y in b.years], "changes": b.changes[:500],
        "replaced": [T.year_label(y) for y in b.summary.get("years_replaced", [])],
        "conflicts": b.conflicts.select_related("child")[:200],
    })


IMPORTS_PAGE = 50


# The list of imports' columns by sort key (permanence.core.sorting): the newest first by default.
IMPORT_SORTS = {
    "when": ("created_at",),
    "la": ("la__name",),
    "by": ("actor__last_name", "actor__first_name"),
    "result": ("status",),
}


def imports(request):
    """Every import, dry run and refused upload of the user's LAs, newest first: who, when, what it changed."""
    _require(request.user)
    las = access.las_for_903(request.user)
    order = sorting.sorting_for(request, IMPORT_SORTS, default="-when")
    rows = ImportBatch.objects.filter(la__in=las).select_related("la", "actor").order_by(*order.order_by)
    la = request.GET.get("la", "")
    if la and la in {o.code for o in las}:
        rows = rows.filter(la__code=la)
    page = Paginator(rows, IMPORTS_PAGE).get_page(request.GET.get("page"))
    for b in page.object_list:
        b.year_labels = [T.year_label(y) for y in b.years]
    return render(request, "interchange/imports.html", {"page": page, "las": las, "la": la, "sorting": order})


@require_POST
def confirm(request, pk: int):
    """"Import these files" on a dry run's page: the same files imported, without uploading them again."""
    b = access.get_import_for(request.user, pk)
    if b.status != ImportBatch.Status.DRY_RUN or not access.can_import_for(request.user, b.la):
        raise Http404("Not found")
    try:
        job = jobs.import_after_dry_run(batch=b, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("interchange:batch", pk=b.pk)
    except PermissionDenied:
        raise Http404("Not found") from None
    except Exception:
        logger.exception("SSDA903 import after a dry run could not be queued")
        messages.error(request, "The import could not be started. Nothing was imported and the files are still "
                                "held: try again, and if it fails again tell your system administrator.")
        return redirect("interchange:batch", pk=b.pk)
    return redirect("interchange:job", pk=job.pk)


def child_returns(request, pk: int):
    """The SSDA903 rows held for a child, year by year, and the periods of care they describe."""
    child = access.get_child_for(request.user, pk)
    audit.record_view(viewer=request.user, instance=child, path=request.path, child_id=child.pk)
    return render(request, "interchange/child_returns.html", {
        "child": child, "history": selectors.returns_history(child),
        "can_see_imports": access.can_import_for(request.user, child.la)})


def conflicts(request):
    _require(request.user)
    rows = ImportConflict.objects.filter(child__la__in=access.las_for_903(request.user)).select_related(
        "child", "child__la", "batch")
    show = request.GET.get("show", "open")
    if show == "open":
        rows = rows.filter(status=ImportConflict.Status.OPEN)
    return render(request, "interchange/conflicts.html", {"conflicts": rows[:500], "show": show})


def conflict(request, pk: int):
    c = access.get_import_conflict_for(request.user, pk)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and c.status == ImportConflict.Status.OPEN and form.is_valid():
        try:
            services.resolve_conflict(conflict=c, actor=request.user, accept=form.cleaned_data["decision"] == "accept",
                                      reason=form.cleaned_data["reason"])
        except ValidationError as err:
            for m in err.messages:
                form.add_error(None, m)
        except PermissionDenied:
            raise Http404("Not found") from None
        else:
            messages.success(request, "Your decision has been recorded.")
            return redirect("interchange:conflicts")
    return render(request, "interchange/conflict.html", {"conflict": c, "form": form})


def export(request):
    _require(request.user)
    las = access.las_for_903(request.user)
    code = request.GET.get("la")
    if not code:
        return render(request, "interchange/export.html", {"las": las})
    la = access.get_903_la_for(request.user, code)
    year = (request.GET.get("year") or "").strip()
    try:
        files = services.export_903(la=la, actor=request.user, years=[year] if year else None, path=request.path)
    except ValidationError as err:
        return render(request, "interchange/export.html", {"las": las, "chosen": la.code, "year": year,
                                                           "year_error": err.messages[0]}, status=400)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    response = HttpResponse(buf.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ssda903_{la.code}.zip"'
    return response


