from django.urls import path

from .views import deputy, duty_mobile, duty_staff

app_name = "deputies"

urlpatterns = [
    path("", deputy.deputy_list_view, name="list"),
    path("<int:pk>/", deputy.deputy_detail_view, name="detail"),
    # The deputy's phone (the phone home itself is wired in congress.urls).
    path("m/duties/", duty_mobile.my_duty_list, name="my_duties"),
    path("m/duties/new/", duty_mobile.duty_create, name="duty_create"),
    path("m/duties/<int:pk>/", duty_mobile.my_duty_detail, name="my_duty_detail"),
    path("m/duties/<int:pk>/edit/", duty_mobile.duty_edit, name="duty_edit"),
    path("m/duties/<int:pk>/withdraw/", duty_mobile.my_duty_withdraw, name="duty_withdraw"),
    path("duty-photos/<int:pk>/<str:size>/", duty_mobile.duty_photo, name="duty_photo"),
    # Staff.
    path("duties/", duty_staff.duty_record_list, name="duty_list"),
    path("duties/export/", duty_staff.duty_record_export, name="duty_export"),
    path("duties/review/", duty_staff.duty_review_queue, name="duty_review"),
    path("duties/<int:pk>/return/", duty_staff.duty_return, name="duty_return"),
]
