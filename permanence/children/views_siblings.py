"""Sibling groups: add one, see its children, change the plan (together or apart)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.children import services
from permanence.children.models import SiblingGroup
from permanence.core import forms as core_forms
from permanence.core.forms import show_service_errors


class SiblingGroupForm(core_forms.Form):
    la = forms.ChoiceField(label="Local authority")
    name = forms.CharField(label="Name of the group", help_text="For example, the family surname and a year.")
    plan = forms.ChoiceField(label="Plan for the siblings", choices=SiblingGroup.Plan.choices,
                             widget=forms.RadioSelect, initial=SiblingGroup.Plan.UNDECIDED)

    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].choices = [(la.pk, la.name) for la in las]


class PlanForm(core_forms.Form):
    plan = forms.ChoiceField(label="Plan for the siblings", choices=SiblingGroup.Plan.choices,
                             widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the change", widget=forms.Textarea(attrs={"rows": 2}))


def _can_write(user) -> bool:
    return access.can_see_child_records(user) and user.role in access.CHILD_CREATE_ROLES


@require_http_methods(["GET", "POST"])
def create(request):
    if not _can_write(request.user):
        raise Http404("Not found")
    las = list(access.las_visible_to(request.user))
    form = SiblingGroupForm(request.POST or None, las=las)
    if request.method == "POST" and form.is_valid():
        la = next(la for la in las if str(la.pk) == form.cleaned_data["la"])
        try:
            group = services.create_sibling_group(actor=request.user, la=la, name=form.cleaned_data["name"],
                                                  plan=form.cleaned_data["plan"])
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The sibling group {group.name} has been added. Choose it on each "
                                      "child's details.")
            return redirect("children:sibling-group", pk=group.pk)
    return render(request, "children/sibling_form.html", {"form": form, "title": "Add a sibling group"})


@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    group = access.get_sibling_group_for(request.user, pk)
    children = access.children_visible_to(request.user).filter(sibling_group=group).select_related("la")
    form = PlanForm(request.POST or None, initial={"plan": group.plan})
    if request.method == "POST":
        if not _can_write(request.user):
            raise Http404("Not found")
        if form.is_valid():
            try:
                services.set_sibling_plan(actor=request.user, group=group, plan=form.cleaned_data["plan"],
                                          reason=form.cleaned_data["reason"])
            except ValidationError as err:
                show_service_errors(form, err)
            else:
                messages.success(request, "The plan has been changed.")
                return redirect("children:sibling-group", pk=group.pk)
    return render(request, "children/sibling_group.html", {"group": group, "children": children, "form": form,
                                                             "can_write": _can_write(request.user)})
