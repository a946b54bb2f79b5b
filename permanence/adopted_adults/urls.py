from django.urls import path

from permanence.adopted_adults import views
from permanence.core import exports
from permanence.journeys.views import event_urls

app_name = "adopted_adults"
urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("requests/", views.request_list, name="list"),
    *exports.urls(views.request_export, prefix="requests/", name="export"),
    path("requests/new/", views.create, name="create"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("requests/<int:pk>/record.pdf", views.request_pdf, name="pdf"),
]
urlpatterns += event_urls(views.PAGES, prefix="requests/")
