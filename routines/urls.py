from django.urls import path

from routines.views import editor, offline, public, review

app_name = "routines"

# The fixed paths under /routines/ come before "<slug>/"; routines.forms.RESERVED_SLUGS keeps routines from
# taking their names.
urlpatterns = [
    path("", public.routine_list, name="list"),
    # What the service worker keeps (routines/views/offline.py); a slug never holds a dot.
    path("offline.json", offline.offline_list, name="offline"),
    path("editor/", editor.routine_editor_list, name="editor_list"),
    path("editor/new/", editor.routine_new, name="new"),
    path("editor/overdue/", review.routine_overdue, name="overdue"),
    path("editor/<slug:slug>/new-draft/", editor.routine_draft_new, name="draft_new"),
    path("editor/<slug:slug>/history/", review.routine_history, name="history"),
    path("editor/<slug:slug>/diff/", review.routine_diff, name="diff"),
    path("editor/<slug:slug>/v<int:number>/", editor.routine_version_edit, name="version_edit"),
    path("editor/<slug:slug>/v<int:number>/approve/", review.routine_version_approve_view, name="version_approve"),
    path("editor/<slug:slug>/v<int:number>/preview/", editor.routine_version_preview, name="version_preview"),
    # One part of the editor a page (routines.views.editor.PARTS); the version's own address is its first part.
    path("editor/<slug:slug>/v<int:number>/<slug:part>/", editor.routine_version_edit, name="version_edit"),
    path("<slug:slug>/", public.routine_detail, name="detail"),
    path("<slug:slug>/session/", public.routine_session, name="session"),
    # A slug never holds a dot, so these never clash with "<slug>/".
    path("<slug:slug>/folder.pdf", public.routine_pdf, {"variant": "folder"}, name="folder_pdf"),
    path("<slug:slug>/a4.pdf", public.routine_pdf, {"variant": "a4"}, name="a4_pdf"),
]
