from django.urls import reverse

from permanence.core import access


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if access.can_see_child_records(user):
        items += [("My caseload", reverse("caseload")), ("Children", reverse("children:list"))]
    if access.can_see_aggregates(user):
        items.append(("Overview", reverse("overview")))
    if access.can_administer(user):
        items.append(("LA policies", reverse("organisations:policies")))
        items.append(("Timescales", reverse("timescales:list")))
    path = request.path
    nav = []
    for label, url in items:
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"label": label, "url": url, "active": active})
    return {"nav_items": nav}
