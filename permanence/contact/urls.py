from django.urls import path

from permanence.contact import views
from permanence.core import exports

app_name = "contact"
urlpatterns = [
    path("", views.home, name="home"),
    path("letterbox/overdue/", views.overdue, name="overdue"),
    *exports.urls(views.overdue, prefix="letterbox/overdue/", name="overdue-export"),
    path("reviews/", views.reviews, name="reviews"),
    *exports.urls(views.reviews, prefix="reviews/", name="reviews-export"),
    path("birth-relatives/to-offer/", views.to_offer, name="to-offer"),
    *exports.urls(views.to_offer, prefix="birth-relatives/to-offer/", name="to-offer-export"),
    path("children/<int:pk>/", views.child_contact, name="child"),
    path("children/<int:pk>/plan/", views.create_plan, name="create-plan"),
    path("children/<int:pk>/arrangements/new/", views.add_arrangement, name="add-arrangement"),
    path("children/<int:pk>/reviews/new/", views.record_review, name="record-review"),
    path("children/<int:pk>/birth-relatives/new/", views.record_offer, name="record-offer"),
    path("letterbox/<int:pk>/", views.exchange, name="exchange"),
    path("letterbox/<int:pk>/<slug:step>/", views.exchange_step, name="exchange-step"),
    path("birth-relatives/<int:pk>/response/", views.offer_response, name="offer-response"),
    path("birth-relatives/<int:pk>/sessions/new/", views.offer_session, name="offer-session"),
    path("settings/", views.contact_settings, name="settings"),
]
