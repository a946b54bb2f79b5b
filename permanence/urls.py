from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from permanence.children import views as child_views
from permanence.core import views as core_views

urlpatterns = [
    path("sign-in/", login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
         name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("", child_views.caseload, name="caseload"),
    path("overview/", child_views.overview, name="overview"),
    path("children/", include("permanence.children.urls")),
    path("organisations/", include("permanence.organisations.urls")),
    path("adopters/", include("permanence.adopters.urls")),
    path("family-finding/", include("permanence.family_finding.urls")),
    path("timescales/", include("permanence.timescales.urls")),
    path("performance/", include("permanence.performance.urls")),
    path("api/v1/", include("permanence.api.urls", namespace="api")),
    path("ssda903/", include("permanence.interchange.urls")),
    path("jobs/", include("permanence.jobs.urls")),
    path("healthz", login_not_required(core_views.healthz), name="healthz"),
    path("support/", include("permanence.support.urls")),
    path("support/", include("permanence.support_fund.urls")),
    path("blueprint/", include("permanence.blueprint.urls")),
    path("learning-reviews/", include("permanence.disruptions.urls")),
    path("quality/", include("permanence.complaints.urls")),
    path("adopted-adults/", include("permanence.adopted_adults.urls")),
    path("contact/", include("permanence.contact.urls")),
]
