from django.urls import reverse

from permanence import access


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if access.can_see_child_records(user):
        items += [("My caseload", reverse("caseload")), ("Children", reverse("children:list"))]
    if access.can_see_adopter_records(user):
        items += [("Adopters", reverse("adopters:pipeline")), ("Panels", reverse("adopters:panel-list"))]
    if access.can_see_links(user):
        items.append(("Links", reverse("family_finding:board")))
    if access.raa_for_sufficiency(user) is not None:
        items.append(("Sufficiency", reverse("family_finding:sufficiency")))
    if access.can_record_match_decision(user):
        items.append(("Match decisions", reverse("adopters:match-decisions")))
    if access.can_see_aggregates(user):
        items.append(("Overview", reverse("overview")))
        items.append(("Scorecard", reverse("performance:scorecard")))
        items.append(("Performance dashboard", reverse("performance:dashboard")))
    if access.can_see_surgeries(user):
        items.append(("Performance surgery", reverse("performance:surgery")))
    if access.can_use_903(user):
        items.append(("SSDA903", reverse("interchange:upload")))
    if access.can_see_support(user):
        items.append(("Adoption support", reverse("support:home")))
    if access.can_enter_feedback(user):
        # Blueprint and learning reviews, complaints and feedback: one item, the quality home lists what is theirs.
        items.append(("Quality", reverse("complaints:home")))
    if access.can_manage_retention(user):
        items.append(("Records retention", reverse("records:retention")))
    if access.can_administer(user):
        items.append(("LA policies", reverse("organisations:policies")))
        items.append(("Timescales", reverse("timescales:list")))
    if access.can_see_child_records(user) or access.can_see_adopter_records(user) or access.can_see_support(user):
        items.append(("Search", reverse("search")))
    path = request.path
    # The longest matching prefix is the active item ("/adopters/panels/" is Panels, not Adopters).
    matches = [url for _label, url in items if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len) if matches else None
    nav = []
    for label, url in items:
        nav.append({"label": label, "url": url, "active": url == current})
    return {"nav_items": nav}
