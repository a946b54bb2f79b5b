from django.urls import path

from permanence.core import exports
from permanence.journeys.views import event_urls
from permanence.support import views

app_name = "support"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="cases"),
    *exports.urls(views.case_list_export, prefix="cases/", name="cases-export"),
    path("waiting/", views.waiting_list, name="waiting"),
    *exports.urls(views.waiting_list_export, prefix="waiting/", name="waiting-export"),
    path("referrals/new/", views.new_referral, name="new-referral"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/record.pdf", views.case_pdf, name="case-pdf"),
    path("settings/", views.settings_page, name="settings"),
]
urlpatterns += event_urls(views.PAGES, prefix="cases/")
