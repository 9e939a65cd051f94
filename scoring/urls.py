from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("recompute/", views.recompute, name="recompute"),
    path("publish/", views.publish, name="publish"),
    path("export/", views.export, name="export"),
    path("export/jobs/", views.report_job_start, name="report_job_start"),
    path("export/jobs/<uuid:pk>/", views.report_job, name="report_job"),
    path("export/jobs/<uuid:pk>/status/", views.report_job_status, name="report_job_status"),
    path(
        "export/jobs/<uuid:pk>/download/",
        views.report_job_download,
        name="report_job_download",
    ),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("deputies/<int:pk>/", views.deputy_points, name="deputy_points"),
]
