from django.urls import path

import samspil.core.converters  # noqa: F401  (registers the "id" converter)
from samspil.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programmes/<id:pk>/report.pdf", views.report_download, {"format": "pdf"},
         name="report_pdf"),
    path("programmes/<id:pk>/report.xlsx", views.report_download, {"format": "xlsx"},
         name="report_xlsx"),
    path("programmes/<id:pk>/report.csv", views.report_download, {"format": "csv"},
         name="report_csv"),
    path("programmes/<id:pk>/refresh/", views.figures_refresh, name="figures_refresh"),
    path("programmes/<id:pk>/targets/", views.programme_targets, name="targets"),
    path("due/", views.due_list, name="due"),
    path("households/<id:household_pk>/", views.household_outcomes, name="household"),
    path("due/schedule/", views.schedule, name="schedule"),
    path("questionnaires/<id:pk>/", views.answer, name="answer"),
    path("questionnaires/<id:pk>/link/", views.link_create, name="link_create"),
    path("answer/<str:token>/", views.family_answer, name="family_answer"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<id:pk>/", views.export_detail, name="export_detail"),
    path("exports/<id:pk>/download/", views.export_download, name="export_download"),
]
