from django.urls import path

from permanence.performance import views

app_name = "performance"
urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("drill/", views.drill, name="drill"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("targets/", views.targets, name="targets"),
    path("prospective/", views.prospective, name="prospective"),
]
urlpatterns += [
    path("reports/quarterly/", views.quarterly, name="quarterly"),
    path("reports/asglb/", views.asglb_return, name="asglb"),
]
from permanence.performance import cost_views  # noqa: E402 (the cost calculator's pages, appended)

urlpatterns += [
    path("cost/", cost_views.calculator, name="cost"),
    path("cost/export/", cost_views.calculator_export, name="cost-export"),
    path("cost/daily-cost/", cost_views.daily_cost, name="daily-cost"),
]

from permanence.performance import comparison_views  # noqa: E402 (each piece of work appends its own block)

urlpatterns += [
    path("comparison/", comparison_views.comparison, name="comparison"),
]
from permanence.performance import surgery_views  # noqa: E402 (the performance surgery's pages, appended)

urlpatterns += [
    path("surgery/", surgery_views.surgery, name="surgery"),
    path("surgery/print/", surgery_views.surgery_print, name="surgery-print"),
    path("surgery/agenda.pdf", surgery_views.surgery_pdf, name="surgery-pdf"),
    path("surgery/escalated/", surgery_views.escalated, name="surgery-escalated"),
    path("surgery/children/<int:pk>/action/", surgery_views.agree_for_child, name="surgery-agree-child"),
    path("surgery/households/<int:pk>/action/", surgery_views.agree_for_household, name="surgery-agree-household"),
    path("surgery/actions/<int:pk>/", surgery_views.action_detail, name="surgery-action"),
    path("surgery/actions/<int:pk>/done/", surgery_views.complete, name="surgery-complete"),
    path("surgery/actions/<int:pk>/escalate/", surgery_views.escalate, name="surgery-escalate"),
    path("surgery/actions/<int:pk>/withdraw/", surgery_views.withdraw, name="surgery-withdraw"),
]

from permanence.performance import members_views  # noqa: E402 (each piece of work appends its own block)

urlpatterns += [
    path("reports/members/", members_views.members_report, name="members"),
]

from permanence.performance import national_views  # noqa: E402 (each piece of work appends its own block)

urlpatterns += [
    path("national-figures/", national_views.national_figures, name="national-figures"),
]
