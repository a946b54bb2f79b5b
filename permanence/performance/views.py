from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from permanence.core import access
from permanence.performance import measures, rules


def _year_endings(today) -> list[int]:
    latest = today.year if (today.month, today.day) >= (3, 31) else today.year - 1
    return list(range(latest, latest - 8, -1))


def scorecard(request):
    """The Adoption Scorecard for the user's RAA (its member LAs on each date) or one of the LAs they may see.
    Aggregate figures only, never suppressed here: this page does not leave the RAA."""
    user = request.user
    if not access.can_see_aggregates(user):
        raise Http404("Not found")
    las = list(access.las_visible_to(user))
    own_raa = access.raa_for_aggregates(user)
    choices = ([("raa", own_raa.name)] if own_raa else []) + [(la.code, str(la)) for la in las]
    if not choices:
        raise Http404("Not found")
    chosen = request.GET.get("scope") or choices[0][0]
    if chosen == "raa" and own_raa is not None:
        scope = measures.scope_for_raa(own_raa)
    else:
        la = next((la for la in las if la.code == chosen), None)
        if la is None:
            raise Http404("Not found")
        scope = measures.scope_for_la(la)
    years = _year_endings(timezone.localdate())
    try:
        year_ending = int(request.GET.get("year_ending") or years[0])
    except ValueError:
        raise Http404("Not found") from None
    if not 2000 <= year_ending <= years[0]:
        raise Http404("Not found")
    figures = measures.scorecard(scope, year_ending)
    return render(request, "performance/scorecard.html", {
        "scope": scope, "chosen": chosen, "choices": choices, "years": years, "year_ending": year_ending,
        "period": rules.scorecard_period(year_ending), "figures": figures,
        "basis_label": rules.BASIS_LABELS[rules.RETROSPECTIVE],
    })
