from django.urls import path

from permanence.core import exports
from permanence.support_fund import views

app_name = "support_fund"

urlpatterns = [
    path("fund/", views.application_list, name="applications"),
    *exports.urls(views.application_export, prefix="fund/", name="applications-export"),
    path("fund/limits/", views.limits, name="limits"),
    path("fund/<int:pk>/", views.application_detail, name="application"),
    path("fund/<int:application_pk>/change/", views.application_form, name="application-edit"),
    path("fund/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path("fund/<int:pk>/decision/", views.application_decide, name="application-decide"),
    path("fund/<int:pk>/payment/", views.application_pay, name="application-pay"),
    path("fund/<int:pk>/pack.pdf", views.application_pack, name="application-pack"),
    path("providers/", views.provider_list, name="providers"),
    *exports.urls(views.provider_export, prefix="providers/", name="providers-export"),
    path("providers/add/", views.provider_add, name="provider-add"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("providers/<int:pk>/change/", views.provider_edit, name="provider-edit"),
    path("providers/<int:pk>/commissions/add/", views.commission_form, name="commission-add"),
    path("providers/<int:pk>/commissions/<int:commission_pk>/change/", views.commission_form,
         name="commission-edit"),
    path("cases/<int:pk>/support-fund/", views.case_fund, name="case"),
    path("cases/<int:pk>/fund/add/", views.application_form, name="application-add"),
    path("cases/<int:pk>/plan/add/", views.plan_form, name="plan-add"),
    path("cases/<int:pk>/plan/<int:plan_pk>/", views.plan_detail, name="plan"),
    path("cases/<int:pk>/plan/<int:plan_pk>/change/", views.plan_form, name="plan-edit"),
    path("cases/<int:pk>/plan/<int:plan_pk>/close/", views.plan_close, name="plan-close"),
    path("cases/<int:pk>/plan/<int:plan_pk>/services/add/", views.service_form, name="service-add"),
    path("cases/<int:pk>/plan/<int:plan_pk>/services/<int:service_pk>/change/", views.service_form,
         name="service-edit"),
]
