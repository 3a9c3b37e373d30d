"""URLs of the 巡察 rounds."""

from django.urls import path

from jiandu.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/draw/", views.round_draw, name="round_draw"),
    path("<int:pk>/stage/", views.round_stage, name="round_stage"),
    path("<int:pk>/findings/", views.finding_create, name="finding_create"),
    path("<int:pk>/problems.xlsx", views.problem_sheet, name="problem_sheet"),
    path(
        "<int:pk>/targets/<int:org_id>/<slug:kind>.docx",
        views.target_document,
        name="target_document",
    ),
    path("<int:pk>/draws/<int:draw_id>/inputs.json", views.draw_inputs, name="draw_inputs"),
    # 单元制
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/plan/", views.unit_plan, name="unit_plan"),
    path("units/<int:pk>/checks/", views.check_create, name="check_create"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("checks/<int:pk>/draw/", views.check_draw, name="check_draw"),
    path("checks/<int:pk>/step/", views.check_step, name="check_step"),
    path("checks/<int:pk>/findings/", views.check_finding, name="check_finding"),
    path("checks/<int:pk>/outcomes/", views.check_outcome, name="check_outcome"),
    # 双报告
    path("<int:pk>/reports/", views.round_reports, name="round_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/comments/", views.report_comment, name="report_comment"),
    path(
        "reports/<int:pk>/files/<int:file_id>/",
        views.report_file_download,
        name="report_file_download",
    ),
    # 提级 (from the clue's page)
    path("escalations/<int:pk>/decide/", views.escalation_decide, name="escalation_decide"),
    # 三本账
    path("ledgers/", views.ledger_list, name="ledger_list"),
    path("ledgers/overview/", views.ledger_overview, name="ledger_overview"),
    path("ledgers/new/", views.ledger_row_create, name="ledger_row_create"),
    path("ledgers/<int:pk>/", views.ledger_row, name="ledger_row"),
    path("ledgers/<int:pk>/report/", views.ledger_row_report, name="ledger_row_report"),
    path(
        "ledgers/counties/<int:county_id>/template.xlsx",
        views.ledger_template,
        name="ledger_template",
    ),
    path("ledgers/counties/<int:county_id>/upload/", views.ledger_upload, name="ledger_upload"),
]

urlpatterns += [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/records/", views.statistics_records, name="statistics_records"),
    path(
        "statistics/units/<int:unit_id>/records/",
        views.unit_statistics_records,
        name="unit_statistics_records",
    ),
]
