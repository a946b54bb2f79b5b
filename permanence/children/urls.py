from django.urls import path

from permanence.children import views, views_siblings
from permanence.core import exports
from permanence.journeys.views import event_urls

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_create, name="create"),
    path("sibling-groups/new/", views_siblings.create, name="sibling-group-create"),
    path("sibling-groups/<int:pk>/", views_siblings.detail, name="sibling-group"),
    *exports.urls(views.child_list_export),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/change/", views.child_edit, name="edit"),
    path("<int:pk>/audit/", views.child_audit, name="audit"),
    path("<int:pk>/record.pdf", views.child_pdf, name="pdf"),
    *event_urls(views.PAGES),
]
