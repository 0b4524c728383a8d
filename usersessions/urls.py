from django.urls import path

from usersessions import views

app_name = "usersessions"

urlpatterns = [
    path("status/", views.status, name="status"),
    path("others/", views.others, name="others"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
]
