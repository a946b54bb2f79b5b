from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from permanence.children import views as child_views
from permanence.core import account_views, help_views, idle, search_views, two_factor_views
from permanence.core import views as core_views
from permanence.home import views as home_views

urlpatterns = [
    path("sign-in/", account_views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("session/time-left/", idle.time_left, name="session-time-left"),
    path("session/keep-alive/", idle.keep_alive, name="session-keep-alive"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path("account/two-factor/", two_factor_views.setup, name="two-factor-setup"),
    path("account/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two-factor-recovery-codes"),
    path("account/two-factor/verify/", two_factor_views.verify, name="two-factor-verify"),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", account_views.password_reset_done, name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("password-reset/done/", account_views.password_reset_complete, name="password-reset-complete"),
    path("", home_views.home, name="home"),
    path("caseload/", child_views.caseload, name="caseload"),
    path("overview/", child_views.overview, name="overview"),
    path("search/", search_views.search_page, name="search"),
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
    path("help/", help_views.help_page, name="help"),
    path("help/accessibility-statement/", help_views.accessibility, name="accessibility"),
    path("help/privacy-notice/", help_views.privacy, name="privacy"),
    path("help/cookies/", help_views.cookies, name="cookies"),
    path("support/", include("permanence.support.urls")),
    path("support/", include("permanence.support_fund.urls")),
    path("blueprint/", include("permanence.blueprint.urls")),
    path("audits/", include("permanence.audits.urls")),
    path("learning-reviews/", include("permanence.disruptions.urls")),
    path("quality/", include("permanence.complaints.urls")),
    path("adopted-adults/", include("permanence.adopted_adults.urls")),
    path("contact/", include("permanence.contact.urls")),
    path("records/", include("permanence.records.urls")),
]
