from django.urls import path

from permanence.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("rounds/start/", views.round_add, name="round-add"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("sample/<int:pk>/audit/", views.audit_add, name="audit-add"),
    path("<int:pk>/", views.audit_detail, name="audit"),
    path("results/", views.results, name="results"),
    path("results.pdf", views.results_pdf, name="results-pdf"),
    path("results.xlsx", views.results_xlsx, name="results-xlsx"),
]
