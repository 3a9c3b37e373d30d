"""URLs of the 主体责任提醒卡."""

from django.urls import path

from jiandu.cards import views

app_name = "cards"

urlpatterns = [
    path("", views.card_list, name="card_list"),
    path("issue/", views.card_issue_batch, name="card_issue_batch"),
    path("stats/", views.stats, name="stats"),
    path("stats/records/", views.stats_records, name="stats_records"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/revise/", views.template_revise, name="template_revise"),
    path("templates/<int:pk>/archive/", views.template_archive, name="template_archive"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/", views.card_detail, name="card_detail"),
    path("<int:pk>/edit/", views.card_edit, name="card_edit"),
    path("<int:pk>/issue/", views.card_issue, name="card_issue"),
    path("<int:pk>/void/", views.card_void, name="card_void"),
    path("<int:pk>/summary/", views.card_summary, name="card_summary"),
    path("<int:pk>/spot-check/", views.spot_check, name="spot_check"),
    path("<int:pk>/card.docx", views.card_docx, name="card_docx"),
    path("<int:pk>/qr.png", views.card_qr, name="card_qr"),
    path("<int:pk>/print/", views.card_print, name="card_print"),
]
