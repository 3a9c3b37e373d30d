"""URLs of the 文号 register."""

from django.urls import path

from jiandu.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.register, name="register"),
    path("rules/", views.rules, name="rules"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/void/", views.void, name="void"),
    path(
        "rectification-notice/<int:problem_pk>/",
        views.rectification_notice,
        name="rectification-notice",
    ),
    path("approval-form/<int:request_pk>/", views.approval_form, name="approval-form"),
    path(
        "collective-minutes/<int:review_pk>/",
        views.collective_minutes,
        name="collective-minutes",
    ),
]
