from django.http import Http404
from django.shortcuts import render

from permanence import access
from permanence.timescales.models import Timescale


def timescales(request):
    """The timescales in force and their history, with sources (read-only; change with `permanence timescale`)."""
    if not (access.can_administer(request.user) or access.can_see_aggregates(request.user)):
        raise Http404("Not found")
    rows = Timescale.objects.order_by("subject", "key", "-valid_from")
    return render(request, "timescales/list.html", {"rows": rows})
