"""Pages for residents, without an account: the opinion form a station's QR code opens,
and the status page reached with a tracking code."""

from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("track/", public.opinion_track, name="opinion_track"),
    path("track/<slug:tracking>/", public.opinion_status, name="opinion_status"),
    path("<slug:code>/", public.opinion_form, name="opinion_form"),
    path("<slug:code>/thanks/<slug:tracking>/", public.opinion_thanks, name="opinion_thanks"),
]
