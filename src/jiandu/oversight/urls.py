"""URLs of the rectification loop (整改闭环) and of the deadlines' reference data."""

from django.urls import path
from django.views.generic import RedirectView

from jiandu.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="oversight:problem_list"), name="index"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/counts/", views.problem_counts, name="problem_counts"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/moves/", views.problem_move, name="problem_move"),
    path("problems/<int:pk>/interviews/new/", views.interview_create, name="interview_create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("interviews/", views.interview_list, name="interview_list"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path(
        "interviews/files/<int:pk>/",
        views.interview_attachment_download,
        name="interview_attachment_download",
    ),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/import/", views.calendar_import_view, name="calendar_import"),
    path("calendar/day/", views.calendar_day_view, name="calendar_day"),
    path("deadlines/", views.deadline_table, name="deadlines"),
    path("deadlines/change/", views.deadline_rule_change, name="deadline_rule_change"),
]
