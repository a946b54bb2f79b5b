from django.urls import path

from permanence.performance import views

app_name = "performance"
urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
]
