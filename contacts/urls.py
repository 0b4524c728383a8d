from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("intake/<uuid:pk>/", views.contact_list, name="list"),
    path("intake/<uuid:pk>/new/<slug:kind>/", views.contact_new, name="new"),
    path("intake/<uuid:pk>/registration/", views.registration, name="register"),
    path("intake/<uuid:pk>/registration/change/", views.registration_change, name="registration_change"),
    path("<uuid:pk>/edit/", views.contact_edit, name="edit"),
    path("<uuid:pk>/delete/", views.contact_delete, name="delete"),
]
