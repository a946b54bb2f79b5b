from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render

from permanence.children import rules
from permanence.children.models import Child
from permanence.core import access


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def overview(request):
    """Aggregate figures only: children by stage for each LA the user may see. No names, no records."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    las = list(access.las_visible_to(user))
    counts = (Child.objects.filter(la__in=las).order_by().values_list("la_id", "stage")
              .annotate(n=Count("pk")))
    table: dict[int, dict[str, int]] = {la.pk: {} for la in las}
    for la_id, stage, n in counts:
        table[la_id][stage] = n
    stages = [s for s in rules.STAGE_ORDER if s is not rules.Stage.NEW]
    rows = [{"la": la, "cells": [table[la.pk].get(s.value, 0) for s in stages],
             "total": sum(table[la.pk].values())} for la in las]
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(stages))]
    return render(request, "core/overview.html", {
        "stages": [(s.value, rules.STAGE_LABELS[s]) for s in stages], "rows": rows, "totals": totals,
        "grand_total": sum(totals),
    })
