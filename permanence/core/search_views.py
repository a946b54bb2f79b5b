"""Search across the records a person may see: children, households and support cases (permanence.core.search),
each scoped by the access module like every list, the first few of each with a link to all of them. On
PostgreSQL close spellings are found too, after the records that hold every word as typed, and marked."""

from __future__ import annotations

from django.db.models import Count, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from permanence import access
from permanence.core import listing, search
from permanence.core.templatetags.govuk import govuk_date

SHOWN = 10


def _section(title: str, rows, *, all_url: str | None, link, describe) -> dict:
    # The first rows and how many there are in one query (a window count), so the search runs once, not twice.
    first = list(rows.annotate(search_total=Window(Count("pk")))[:SHOWN])
    count = first[0].search_total if first else 0
    return {"title": title, "count": count, "all_url": all_url if count > SHOWN else None,
            "rows": [{"url": link(r), "label": str(r.reference), "name": describe(r), "close": bool(r.close_spelling)}
                     for r in first]}


def search_page(request):
    """GET /search/?q=…: every kind of record the user sees whose fields hold each word typed."""
    from permanence.adopters import selectors as households
    from permanence.children import selectors as children
    from permanence.support import selectors as support

    user = request.user
    q = (request.GET.get("q") or "").strip()
    words = search.words(q)
    sections = []
    if words:
        text = " ".join(words)
        query = urlencode({"q": text})
        if access.can_see_child_records(user):
            rows = children.SEARCH.find(access.children_visible_to(user), text).select_related("la").order_by(
                "close_spelling", "last_name", "first_name", "pk")
            sections.append(_section(
                "Children", rows, all_url=f"{reverse('children:list')}?{query}",
                link=lambda c: reverse("children:detail", args=[c.pk]),
                describe=lambda c: f"{c.first_name} {c.last_name}, {c.la.name}"
                                   + (f", born {govuk_date(c.date_of_birth)}" if c.date_of_birth else "")))
        if access.can_see_adopter_records(user):
            rows = households.SEARCH.find(access.households_visible_to(user), text).order_by(
                "close_spelling", "name", "pk")
            sections.append(_section(
                "Prospective adopters and adopters", rows,
                all_url=f"{reverse('adopters:pipeline')}?{urlencode({'q': text, 'include_closed': 'on'})}",
                link=lambda h: reverse("adopters:household-detail", args=[h.pk]),
                describe=lambda h: f"{h.name}, {h.get_stage_display()}"))
        if access.can_see_support(user):
            rows = support.SEARCH.find(access.support_cases_visible_to(user), text).order_by(
                "close_spelling", "family_name", "pk")
            sections.append(_section(
                "Adoption support cases", rows, all_url=None,
                link=lambda c: reverse("support:case", args=[c.pk]),
                describe=lambda c: ", ".join(n for n in (c.family_name, c.child_name) if n)))
        listing.log(request, sum(s["count"] for s in sections), what="search", filters={"q": text})
    return render(request, "core/search.html", {
        "q": q, "searched": bool(words), "sections": sections, "total": sum(s["count"] for s in sections),
        "shown": SHOWN, "close_spellings": search.finds_close_spellings(),
        "may_search": any((access.can_see_child_records(user), access.can_see_adopter_records(user),
                           access.can_see_support(user))),
    })
