"""URLs of the follow-up work."""

from django.urls import path

from jiandu.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.index, name="index"),
    path("realname/", views.realname_list, name="realname_list"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("petitions/<int:pk>/feedback/", views.petition_feedback, name="petition_feedback"),
    path("executions/", views.execution_list, name="execution_list"),
    path("executions/<int:pk>/", views.execution_detail, name="execution_detail"),
    path("executions/<int:pk>/visits/new/", views.visit_plan, name="visit_plan"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("clarifications/", views.clarification_list, name="clarification_list"),
    path("clarifications/new/", views.clarification_create, name="clarification_create"),
    path("false-accusations/", views.false_accusation_list, name="false_accusation_list"),
    path("false-accusations/new/", views.false_accusation_create, name="false_accusation_create"),
]
