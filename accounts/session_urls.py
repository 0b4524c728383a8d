from django.urls import path

from accounts import session_views

urlpatterns = [
    path("status/", session_views.session_status, name="session_status"),
    path("others/", session_views.session_others, name="session_others"),
    path("keep-alive/", session_views.session_keep_alive, name="session_keep_alive"),
]
