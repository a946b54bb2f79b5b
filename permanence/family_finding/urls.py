from django.urls import path

from permanence.core import exports
from permanence.family_finding import views
from permanence.journeys.views import event_urls

app_name = "family_finding"
urlpatterns = [
    path("links/", views.board, name="board"),
    path("links/<int:pk>/", views.link_detail, name="link"),
    path("children/<int:pk>/", views.child_family_finding, name="child"),
    path("children/<int:pk>/shortlist/", views.run_shortlist, name="run-shortlist"),
    path("children/<int:pk>/matching-profile/", views.matching_profile, name="matching-profile"),
    path("children/<int:pk>/matching-profile/change/", views.edit_matching_profile, name="edit-matching-profile"),
    path("weights/", views.matching_weights, name="weights"),
    path("weights/new/", views.set_matching_weights, name="set-weights"),
    path("shortlists/<int:pk>/", views.shortlist_detail, name="shortlist"),
    path("shortlists/<int:pk>/entries/<int:entry_pk>/link/", views.open_link, name="open-link"),
    path("households/<int:pk>/children/", views.household_children, name="household-children"),
    path("households/<int:pk>/profile/", views.household_profile, name="household-profile"),
    path("sufficiency/", views.sufficiency_page, name="sufficiency"),
    *exports.urls(views.sufficiency_export, prefix="sufficiency/", name="sufficiency-export"),
]
urlpatterns += event_urls(views.PAGES, prefix="links/")
urlpatterns += [path("inter-agency/", views.inter_agency, name="inter-agency"),
                path("inter-agency/fees/", views.fee_table, name="fees"),
                *exports.urls(views.inter_agency, prefix="inter-agency/", name="inter-agency-export")]
