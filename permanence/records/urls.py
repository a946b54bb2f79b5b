from django.urls import path

from permanence.records import views

app_name = "records"
urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/periods/<slug:category>/", views.retention_period, name="retention-period"),
    path("retention/<str:kind>/<int:pk>/dispose/", views.dispose, name="dispose"),
    path("subject-access/<slug:kind>/<int:pk>/", views.subject_access_export, name="subject-access"),
]
