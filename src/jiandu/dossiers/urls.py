"""URLs of the 政治生态档案 and the 廉政意见 batches."""

from django.urls import path

from jiandu.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_search, name="search"),
    path("warnings/", views.warnings, name="warnings"),
    path("tables/", views.tables, name="tables"),
    path("people/<int:pk>/", views.person_dossier, name="person"),
    path("units/<int:pk>/", views.org_dossier, name="org"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction_detail"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/template.xlsx", views.batch_template, name="batch_template"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/review/", views.batch_review, name="batch_review"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<int:pk>/issue/", views.batch_issue, name="batch_issue"),
    path("batches/<int:pk>/reply.docx", views.batch_docx, name="batch_docx"),
    path("batches/<int:pk>/annex.xlsx", views.batch_xlsx, name="batch_xlsx"),
]
