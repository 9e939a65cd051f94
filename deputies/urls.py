from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("", views.deputy_list_view, name="list"),
    path("<int:pk>/", views.deputy_detail_view, name="detail"),
    path("m/", views.mobile_home, name="mobile_home"),
]
