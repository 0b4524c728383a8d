from django.urls import path

from routines import views

# The fixed paths under /routines/ come before "<slug>/"; routines.forms.RESERVED_SLUGS keeps routines from
# taking their names.
urlpatterns = [
    path("", views.routine_list, name="routine_list"),
    path("editor/", views.routine_editor_list, name="routine_editor_list"),
    path("editor/new/", views.routine_new, name="routine_new"),
    path("editor/overdue/", views.routine_overdue, name="routine_overdue"),
    path("editor/<slug:slug>/new-draft/", views.routine_draft_new, name="routine_draft_new"),
    path("editor/<slug:slug>/history/", views.routine_history, name="routine_history"),
    path("editor/<slug:slug>/diff/", views.routine_diff, name="routine_diff"),
    path("editor/<slug:slug>/v<int:number>/", views.routine_version_edit, name="routine_version_edit"),
    path("editor/<slug:slug>/v<int:number>/preview/", views.routine_version_preview, name="routine_version_preview"),
    path("<slug:slug>/", views.routine_detail, name="routine_detail"),
    path("<slug:slug>/session/", views.routine_session, name="routine_session"),
    # A slug never holds a dot, so these never clash with "<slug>/".
    path("<slug:slug>/folder.pdf", views.routine_pdf, {"variant": "folder"}, name="routine_folder_pdf"),
    path("<slug:slug>/a4.pdf", views.routine_pdf, {"variant": "a4"}, name="routine_a4_pdf"),
]
