"""The "Record a complaint about this …" link on a child's, a household's and a support case's page.

Whether it is shown is access's decision (access.can_record_complaint_about); the link opens the complaint form
with what it is about filled in (?child=, ?household= or ?support_case=, read back through access).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from permanence import access

# model name -> (the form's query parameter, what the page calls the record)
SUBJECTS = {"child": ("child", "child"), "household": ("household", "household"),
            "supportcase": ("support_case", "support case")}


def complaint_link(user, record) -> dict | None:
    """{"url", "text"} for the record's page, or None when the user may not record a complaint about it."""
    if not access.can_record_complaint_about(user, record):
        return None
    param, what = SUBJECTS[record._meta.model_name]
    return {"url": f"{reverse('complaints:add')}?{urlencode({param: record.pk})}",
            "text": f"Record a complaint about this {what}"}
