"""/api/v1/: the router. Adding an endpoint is one viewset file and one `router.register` line (docs/api.md)."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from permanence.api.endpoints import (
    adopted_adults,
    children,
    contact,
    events,
    family_finding,
    households,
    me,
    measures,
    organisations,
    panels,
    support,
)

app_name = "api"

router = SimpleRouter()
router.register("children", children.ChildViewSet, basename="child")
router.register(r"children/(?P<child_pk>\d{1,18})/events", events.EventViewSet, basename="child-event")
router.register("organisations", organisations.OrganisationViewSet, basename="organisation")
router.register("households", households.HouseholdViewSet, basename="household")
router.register(r"households/(?P<household_pk>\d{1,18})/events", households.HouseholdEventViewSet,
                basename="household-event")
router.register("panels", panels.PanelViewSet, basename="panel")
router.register(r"children/(?P<child_pk>\d{1,18})/family-finding", family_finding.ChildFamilyFindingViewSet,
                basename="child-family-finding")
router.register(r"households/(?P<household_pk>\d{1,18})/family-finding",
                family_finding.HouseholdFamilyFindingViewSet, basename="household-family-finding")
router.register("links", family_finding.LinkViewSet, basename="link")
router.register(r"links/(?P<link_pk>\d{1,18})/events", family_finding.LinkEventViewSet, basename="link-event")
router.register("shortlists", family_finding.ShortlistViewSet, basename="shortlist")
router.register("family-finding", family_finding.FamilyFindingFiguresViewSet, basename="family-finding")
router.register("measures", measures.MeasuresViewSet, basename="measures")
router.register("support-cases", support.SupportCaseViewSet, basename="support-case")
router.register(r"support-cases/(?P<case_pk>\d{1,18})/events", support.SupportEventViewSet,
                basename="support-case-event")
from permanence.api.endpoints import support_fund  # noqa: E402 (issue 12: support plans and the fund)

router.register("support-fund-applications", support_fund.ApplicationViewSet, basename="support-fund-application")
router.register("support-providers", support_fund.ProviderViewSet, basename="support-provider")
router.register("adopted-adult-requests", adopted_adults.AdultRequestViewSet, basename="adopted-adult-request")
router.register(r"adopted-adult-requests/(?P<request_pk>\d{1,18})/events", adopted_adults.AdultRequestEventViewSet,
                basename="adopted-adult-request-event")
router.register("letterbox-exchanges", contact.LetterboxExchangeViewSet, basename="letterbox-exchange")
router.register("contact-plans", contact.ContactPlanViewSet, basename="contact-plan")

urlpatterns = [
    path("me/", me.MeView.as_view(), name="me"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    *router.urls,
]

# The API authenticates each request itself (token or session, in DRF), so Django's sign-in redirect
# must not intercept it: an unauthenticated call gets a 401 error body, never a redirect to a page.
# (DRF already marks its views so; this keeps it true whatever a view is built from.)
for pattern in urlpatterns:
    login_not_required(pattern.callback)

# The browsable documentation is a page for people: it sends them to sign in like every page. The split view
# serves its start-up script as a file, so the page runs under the Content-Security-Policy (no inline script).
urlpatterns.append(path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
                        name="docs"))
