from django.urls import path

from permanence.complaints import views
from permanence.core import tables

app_name = "complaints"

urlpatterns = [
    path("", views.quality_home, name="home"),
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/add/", views.complaint_add, name="add"),
    *tables.urls(views.summary_download, "complaints/summary", "summary"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
    path("complaints/<int:pk>/extend/", views.complaint_extend, name="extend"),
    path("complaints/<int:pk>/escalate/", views.complaint_escalate, name="escalate"),
    path("complaints/<int:pk>/panel/", views.complaint_panel, name="panel"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="close"),
    path("feedback/", views.feedback_summary, name="feedback"),
    path("feedback/<int:survey_pk>/add/", views.feedback_add, name="feedback-add"),
]
