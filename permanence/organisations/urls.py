from django.urls import path

from permanence.organisations import views

app_name = "organisations"
urlpatterns = [
    path("policies/", views.policies, name="policies"),
    path("policies/<str:code>/", views.la_policy, name="la-policy"),
    path("structure/", views.structure, name="structure"),
    path("structure/las/new/", views.add_la, name="add-la"),
    path("structure/teams/new/", views.add_team, name="add-team"),
    path("structure/staff/new/", views.add_staff, name="add-staff"),
    path("structure/staff/<int:pk>/reset-two-factor/", views.reset_two_factor, name="reset-two-factor"),
]
