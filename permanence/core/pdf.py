"""A whole record as a PDF: a template and its context in, a download out (WeasyPrint).

    return pdf.pdf_response(request, "children/record.pdf.html", context, filename="P000123")

Callers check access and log the export (exports.log_export) first. The template must be
self-contained (inline CSS): nothing is fetched while rendering but `data:` URLs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from permanence.core.exports import CONTENT_TYPES, attachment


def render_pdf(template_name: str, context: dict, request: HttpRequest | None = None, stage=None) -> bytes:
    """`stage(text, percent)`, if given, is told as it goes (a report PDF made by a job shows it)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    stage = stage or (lambda text, percent: None)
    stage("Laying out the report", 40)
    html = render_to_string(template_name, context, request=request)
    stage("Writing the PDF", 60)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def pdf_response(request: HttpRequest, template_name: str, context: dict, *, filename: str) -> HttpResponse:
    from permanence.jobs import files

    context = {"generated_at": timezone.now(), "generated_by": request.user, **context}
    stamped = f"{filename}-{timezone.localdate():%Y-%m-%d}.pdf"
    if (sink := files.active()) is not None:  # a report PDF made by a job (jobs/files.py): kept for the user
        return sink.put(stamped, CONTENT_TYPES["pdf"], render_pdf(template_name, context, request, stage=sink.stage))
    response = HttpResponse(render_pdf(template_name, context, request), content_type=CONTENT_TYPES["pdf"])
    return attachment(response, stamped)
