from django.urls import path

from permanence.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("<int:pk>/download/", views.download, name="download"),
]
