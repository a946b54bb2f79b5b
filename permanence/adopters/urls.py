from django.urls import path

from permanence.adopters import views, views_panels
from permanence.core import exports
from permanence.journeys.views import event_urls

app_name = "adopters"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    *exports.urls(views.pipeline_export, name="pipeline-export"),
    path("timescales/", views.timescales, name="timescales"),
    path("enquiries/", views.enquiry_list, name="enquiry-list"),
    path("enquiries/new/", views.enquiry_create, name="enquiry-create"),
    *exports.urls(views.enquiry_export, "enquiries/", name="enquiry-export"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry-detail"),
    path("enquiries/<int:pk>/outcome/", views.enquiry_outcome, name="enquiry-outcome"),
    path("enquiries/<int:enquiry_pk>/register/", views.household_register, name="enquiry-register"),
    path("households/new/", views.household_register, name="household-register"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("households/<int:pk>/change/", views.household_edit, name="household-edit"),
    path("households/<int:pk>/record.pdf", views.household_pdf, name="household-pdf"),
    path("households/<int:pk>/target-panel-date/", views.target_panel_date, name="target-panel-date"),
    path("households/<int:pk>/capacity/", views.capacity, name="capacity"),
    *event_urls(views.PAGES, "households/"),
    path("panels/", views_panels.panel_list, name="panel-list"),
    path("panels/new/", views_panels.panel_create, name="panel-create"),
    *exports.urls(views_panels.panel_export, "panels/", name="panel-export"),
    path("panels/<int:pk>/", views_panels.panel_detail, name="panel-detail"),
    path("panels/<int:pk>/agenda/", views_panels.panel_print, name="panel-print"),
    path("panels/<int:pk>/agenda.pdf", views_panels.panel_pdf, name="panel-pdf"),
    path("panels/<int:pk>/book/", views_panels.panel_book, name="panel-book"),
    path("panels/<int:pk>/book/match/", views_panels.panel_book_match, name="panel-book-match"),
    path("panels/<int:pk>/items/<int:item_pk>/", views_panels.item_detail, name="item-detail"),
    path("panels/<int:pk>/items/<int:item_pk>/papers/", views_panels.item_papers, name="item-papers"),
    path("panels/<int:pk>/items/<int:item_pk>/views/", views_panels.item_member_view, name="item-member-view"),
    path("panels/<int:pk>/items/<int:item_pk>/recommendation/", views_panels.item_recommendation,
         name="item-recommendation"),
    path("panels/<int:pk>/items/<int:item_pk>/decision/", views_panels.item_decision, name="item-decision"),
    path("match-decisions/", views_panels.match_decisions, name="match-decisions"),
    path("match-decisions/<int:item_pk>/", views_panels.match_decision, name="match-decision"),
]
