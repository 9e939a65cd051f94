from django.urls import path

from .views import activities, mobile, opinions, poster, stations

app_name = "liaison_stations"

urlpatterns = [
    # Stations and the rota.
    path("", stations.station_list, name="station_list"),
    path("new/", stations.station_create, name="station_create"),
    path("<int:pk>/", stations.station_detail, name="station_detail"),
    path("<int:pk>/edit/", stations.station_edit, name="station_edit"),
    path("<int:pk>/poster/", poster.station_poster, name="station_poster"),
    path("<int:pk>/shifts/new/", stations.shift_add, name="shift_add"),
    path("shifts/", stations.shifts_week, name="shifts_week"),
    # Activities, attendance and leave.
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create_view, name="activity_create"),
    path("activities/schedule/", activities.activity_schedule, name="activity_schedule"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/close/", activities.activity_close_view, name="activity_close"),
    path("activities/<int:pk>/cancel/", activities.activity_cancel_view, name="activity_cancel"),
    path("leave/", activities.leave_queue, name="leave_queue"),
    path("leave/<int:pk>/decide/", activities.leave_decide_view, name="leave_decide"),
    path("attendance/", activities.attendance_rates, name="attendance_rates"),
    # Opinions.
    path("opinions/", opinions.opinion_list, name="opinion_list"),
    path("opinions/new/", opinions.opinion_record_view, name="opinion_record"),
    path("opinions/<int:pk>/", opinions.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/photo/", opinions.opinion_photo, name="opinion_photo"),
    path("opinions/<int:pk>/assign/", opinions.opinion_assign_view, name="opinion_assign"),
    path("opinions/<int:pk>/reply/", opinions.opinion_reply_view, name="opinion_reply"),
    path("opinions/<int:pk>/close/", opinions.opinion_close_view, name="opinion_close"),
    path("opinions/<int:pk>/reject/", opinions.opinion_reject_view, name="opinion_reject"),
    # The deputy's phone.
    path("m/activities/", mobile.my_activities, name="my_activities"),
    path("m/attendance/<int:pk>/leave/", mobile.my_leave_request, name="my_leave_request"),
    path("m/shifts/", mobile.my_shifts, name="my_shifts"),
    path("m/opinions/", mobile.my_opinions, name="my_opinions"),
    path("m/opinions/new/", mobile.my_opinion_record, name="my_opinion_record"),
    path("m/opinions/<int:pk>/", mobile.my_opinion_detail, name="my_opinion_detail"),
]
