from django.urls import path

from permanence.blueprint import views
from permanence.core import tables

app_name = "blueprint"
urlpatterns = [
    path("", views.reviews, name="reviews"),
    path("record/", views.review_add, name="review-add"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/change/", views.review_edit, name="review-edit"),
    path("<int:pk>/final/", views.review_final, name="review-final"),
    path("results/", views.results, name="results"),
    *tables.urls(views.results_download, "results/download", "results"),
]
