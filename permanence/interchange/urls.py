from django.urls import path

from permanence.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.batch, name="batch"),
    path("imports/<int:pk>/import/", views.confirm, name="confirm"),
    path("imports/<int:pk>/findings.csv", views.batch_findings, name="batch-findings"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/", views.conflict, name="conflict"),
    path("export/", views.export, name="export"),
    path("children/<int:pk>/returns/", views.child_returns, name="child-returns"),
]
