"""The published England figures loaded into Permanence (performance.NationalFigure): what the comparisons show as
England. Read-only: figures are loaded with `permanence national-figures load FILE.csv`."""

from django.http import Http404
from django.shortcuts import render

from permanence import access
from permanence.performance import rules
from permanence.performance.models import NationalFigure


def national_figures(request):
    user = request.user
    if not access.can_see_national_figures(user):
        raise Http404("Not found")
    rows = []
    for f in NationalFigure.objects.select_related("added_by"):
        measure = rules.MEASURES.get(f.measure)
        rows.append({"figure": f, "label": measure.label if measure else f.measure,
                     "value": rules._num(f.value), "unit": measure.unit.value if measure else ""})
    return render(request, "performance/national_figures.html", {
        "rows": rows, "columns": ", ".join(rules.NATIONAL_FIGURE_COLUMNS),
        "can_compare": access.can_see_aggregates(user)})
