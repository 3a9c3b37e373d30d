"""URLs of 零报告 detection, 对账销账 and the 质询会."""

from django.urls import path
from django.views.generic import RedirectView

from jiandu.reconciliation import views

app_name = "reconciliation"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reconciliation:ledger"), name="index"),
    path("zero-reports/", views.flag_list, name="flag_list"),
    path("zero-reports/detect/", views.flag_detect, name="flag_detect"),
    path("zero-reports/rule/", views.rule_page, name="rule"),
    path("zero-reports/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("zero-reports/<int:pk>/supervise/", views.flag_supervise, name="flag_supervise"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/match/", views.ledger_match, name="ledger_match"),
    path("ledger/<int:pk>/pair/", views.ledger_pair, name="ledger_pair"),
    path("ledger/<int:pk>/accountability/", views.gap_accountability, name="gap_accountability"),
    path("ledger/<int:pk>/move/", views.ledger_move, name="ledger_move"),
    path("pairs/<int:pk>/unpair/", views.ledger_unpair, name="ledger_unpair"),
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/hold/", views.inquiry_hold, name="inquiry_hold"),
    path("inquiries/<int:pk>/agenda/", views.inquiry_agenda, name="inquiry_agenda"),
    path("inquiries/<int:pk>/minutes/", views.inquiry_minutes, name="inquiry_minutes"),
    path("inquiry-items/<int:pk>/mark/", views.inquiry_mark, name="inquiry_mark"),
    path("inquiry-records/<int:pk>/mark/", views.inquiry_record_mark, name="inquiry_record_mark"),
]
