"""The RAA administrator's pages: per-LA policies and the organisation structure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.core.clock import today
from permanence.core.forms import show_service_errors
from permanence.organisations import services
from permanence.organisations.forms import LAForm, PolicyForm, StaffForm, TeamForm
from permanence.organisations.models import Organisation, Staff, Team


def _admin_raa(user) -> Organisation:
    if not access.can_administer(user):
        raise Http404("Not found")
    return user.organisation


def policies(request):
    raa = _admin_raa(request.user)
    on = today()
    rows = []
    for la in access.administered_las(request.user).prefetch_related("policies"):
        history = sorted(la.policies.all(), key=lambda p: p.effective_from, reverse=True)
        current = next((p for p in history if p.effective_from <= on), None)
        upcoming = [p for p in history if p.effective_from > on]
        rows.append({"la": la, "current": current, "upcoming": upcoming, "versions": len(history)})
    return render(request, "organisations/policies.html", {"raa": raa, "rows": rows, "today": on})


@require_http_methods(["GET", "POST"])
def la_policy(request, code: str):
    _admin_raa(request.user)
    la = access.get_administered_la(request.user, code)
    history = list(la.policies.select_related("created_by").order_by("-effective_from"))
    on = today()
    current = next((p for p in history if p.effective_from <= on), None)
    initial = {"effective_from": on}
    if current:
        initial |= {f: getattr(current, f) for f in services.POLICY_FIELDS if f != "note"}
    form = PolicyForm(request.POST or None, initial=initial, versioned=la)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            with form.saving():
                services.set_policy(actor=request.user, la=la, effective_from=d.pop("effective_from"), **d)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The new policy for {la.name} has been saved.")
            return redirect("organisations:la-policy", code=la.code)
    return render(request, "organisations/la_policy.html", {
        "la": la, "history": history, "current": current, "form": form, "today": on,
    })


def structure(request):
    raa = _admin_raa(request.user)
    las = list(access.administered_las(request.user))
    orgs = [raa, *las]
    teams = Team.objects.filter(organisation__in=orgs).select_related("organisation")
    staff = Staff.objects.filter(organisation__in=orgs).select_related("organisation", "team").order_by(
        "organisation__kind", "organisation__name", "last_name")
    return render(request, "organisations/structure.html", {"raa": raa, "las": las, "teams": teams, "staff": staff})


@require_http_methods(["GET", "POST"])
def add_la(request):
    raa = _admin_raa(request.user)
    form = LAForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            la = services.create_organisation(actor=request.user, kind="la", raa=raa, **form.cleaned_data)
            services.set_policy(actor=request.user, la=la, effective_from=today())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{la.name} has been added with the default policy (the LA keeps the case). "
                                      "Check its policy now.")
            return redirect("organisations:la-policy", code=la.code)
    return render(request, "organisations/simple_form.html", {"form": form, "title": f"Add an LA to {raa.name}"})


@require_http_methods(["GET", "POST"])
def add_team(request):
    raa = _admin_raa(request.user)
    orgs = [raa, *access.administered_las(request.user)]
    form = TeamForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        owner = next(o for o in orgs if str(o.pk) == form.cleaned_data["organisation"])
        try:
            services.create_team(actor=request.user, organisation=owner, name=form.cleaned_data["name"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The team has been added.")
            return redirect("organisations:structure")
    return render(request, "organisations/simple_form.html", {"form": form, "title": "Add a team"})


@require_http_methods(["GET", "POST"])
def add_staff(request):
    raa = _admin_raa(request.user)
    orgs = [raa, *access.administered_las(request.user)]
    form = StaffForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        owner = next(o for o in orgs if str(o.pk) == d["organisation"])
        team = Team.objects.filter(pk=d["team"], organisation__in=orgs).first() if d["team"] else None
        try:
            services.create_staff(actor=request.user, organisation=owner, role=d["role"], username=d["username"],
                                  first_name=d["first_name"], last_name=d["last_name"], email=d["email"],
                                  team=team, password=d["password"], temporary=True)
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"{d['first_name']} {d['last_name']} can now sign in.")
            return redirect("organisations:structure")
    return render(request, "organisations/simple_form.html", {"form": form, "title": "Add a member of staff"})


@require_http_methods(["GET", "POST"])
def reset_two_factor(request, pk: int):
    """A system administrator removes a member of staff's second factor (lost phone): audited; they set up a new
    one when they next sign in."""
    _admin_raa(request.user)
    staff = access.get_administered_staff(request.user, pk)
    if request.method == "POST":
        from permanence.core.two_factor_views import reset_for
        reset_for(actor=request.user, staff=staff, request=request)
        messages.success(request, f"{staff.get_full_name()}'s second factor has been reset. They will set up a new "
                                  "one when they next sign in.")
        return redirect("organisations:structure")
    return render(request, "organisations/reset_two_factor.html", {"staff": staff})
