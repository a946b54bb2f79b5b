from django.urls import path

from permanence.timescales import views

app_name = "timescales"
urlpatterns = [path("", views.timescales, name="list")]
