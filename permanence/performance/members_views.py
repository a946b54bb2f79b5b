"""The six-monthly report for elected members, as a page, a PDF and a spreadsheet (issue 5, item 2).

?scope=raa or an LA code (those the user may see: views.scope_from), ?half_year=2025H1 (default: the last
complete half-year), ?format=html|pdf|xlsx. The figures are members.members_report's, suppressed ("<5"): the
report leaves the RAA. Every download is logged (exports.log_export).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from permanence.core import exports, pdf
from permanence.jobs import files
from permanence.performance import members
from permanence.performance.views import scope_from

WHAT = "performance.members"


def members_report(request):
    scope, chosen, choices = scope_from(request)  # 404 unless the user sees aggregates for this scope
    today = timezone.localdate()
    half_years = members.last_complete_half_years(today)
    half_year = (request.GET.get("half_year") or "").strip().upper() or half_years[0]
    try:
        period = members.parse_half_year(half_year)
    except ValueError:
        raise Http404("Not found") from None
    if period.start > today:
        raise Http404("Not found")
    half_year = members.half_year_code(period)
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf", "xlsx"):
        raise Http404("Not found")
    if fmt == "pdf" and (queued := files.queue_report(request, label=f"Members' report for {scope.label}, {half_year} (PDF)")):
        return queued  # made by a background job (jobs/files.py), which runs this view again as the user
    report = members.members_report(scope, period)
    filename = f"members-{scope.code}-{half_year}"
    filters = {"scope": chosen, "half_year": half_year}
    if fmt != "html":
        exports.log_export(user=request.user, what=WHAT, fmt=fmt, row_count=len(report["figures"]), filters=filters,
                           path=request.get_full_path())
    context = {"report": report, "scope": scope, "chosen": chosen, "choices": choices, "half_year": half_year,
               "half_years": half_years, "period": period, "in_progress": period.end >= today,
               "column_titles": members.COLUMN_TITLES}
    if fmt == "xlsx":
        response = HttpResponse(members.xlsx_bytes(report), content_type=exports.CONTENT_TYPES["xlsx"])
        return exports.attachment(response, f"{filename}-{today:%Y-%m-%d}.xlsx")
    if fmt == "pdf":
        return pdf.pdf_response(request, "performance/members_pdf.html", context, filename=filename)
    return render(request, "performance/members.html", context)
