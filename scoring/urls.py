from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("recompute/", views.recompute, name="recompute"),
    path("publish/", views.publish, name="publish"),
    path("export/", views.export, name="export"),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("deputies/<int:pk>/", views.deputy_points, name="deputy_points"),
]
