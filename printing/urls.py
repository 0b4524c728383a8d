from django.urls import path

from printing import views

app_name = "printing"

# /print-orders/: the print shop's queue and the orderers' own orders. Orders have opaque UUIDs.
urlpatterns = [
    path("", views.print_order_list, name="list"),
    path("new/", views.print_order_new, name="new"),
    path("<uuid:pk>/", views.print_order_detail, name="detail"),
    path("<uuid:pk>/advance/", views.print_order_advance_view, name="advance"),
    path("<uuid:pk>/reissue/", views.print_order_reissue_view, name="reissue"),
    path("<uuid:pk>/folder.pdf", views.print_order_pdf, name="pdf"),
]
