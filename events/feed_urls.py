from django.urls import path

from events import feed_views

app_name = "calendar"

urlpatterns = [
    path("", feed_views.my_calendar, name="mine"),
    path("renovar/", feed_views.renew, name="renew"),
    path("<str:token>.ics", feed_views.personal_feed, name="feed"),
]
