from django.urls import path

from permanence.core import tables
from permanence.disruptions import views

app_name = "disruptions"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("child/<int:child_pk>/open/", views.review_open, name="open"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/change/", views.review_edit, name="review-edit"),
    path("<int:pk>/final/", views.review_final, name="review-final"),
    path("<int:pk>/recommendations/add/", views.recommendation_add, name="recommendation-add"),
    path("<int:pk>/recommendations/<int:rec_pk>/change/", views.recommendation_edit, name="recommendation-edit"),
    path("<int:pk>/recommendations/<int:rec_pk>/done/", views.recommendation_done, name="recommendation-done"),
    path("recommendations/", views.recommendations_due, name="recommendations"),
    path("themes/", views.themes, name="themes"),
    *tables.urls(views.themes_download, "themes/download", "themes"),
]
