from django.urls import path

from permanence.performance import views

app_name = "performance"
urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("drill/", views.drill, name="drill"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
urlpatterns += [
    path("reports/quarterly/", views.quarterly, name="quarterly"),
    path("reports/asglb/", views.asglb_return, name="asglb"),
]
