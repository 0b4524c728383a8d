"""Access helpers for routine editing: the only way editor and review views reach a routine.

Published routines are public (routines.selectors); everything about drafts, history and review is for the
people responsible for a routine: editors in its owner unit (who also hold ``routines.change_routine``),
managers in its owner unit for reading history and review dates, and superusers. Anyone else gets 404, so
the editor pages do not even confirm that a draft exists.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Unit
from accounts.roles import Role
from routines.models import Routine, RoutineVersion

AnyUser = User | AnonymousUser


def editor_units(user: AnyUser) -> QuerySet[Unit]:
    """The units whose routines this user may edit."""
    if not user.is_authenticated or not user.has_perm("routines.change_routine"):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user, memberships__role=Role.EDITOR).distinct()


def reviewer_units(user: AnyUser) -> QuerySet[Unit]:
    """The units whose routines' history and review dates this user may read: editors and managers."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    roles = [Role.MANAGER]
    if user.has_perm("routines.change_routine"):
        roles.append(Role.EDITOR)
    return Unit.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def editable_routines(user: AnyUser) -> QuerySet[Routine]:
    return Routine.objects.filter(owner_unit__in=editor_units(user))


def reviewable_routines(user: AnyUser) -> QuerySet[Routine]:
    return Routine.objects.filter(owner_unit__in=reviewer_units(user))


def may_edit(user: AnyUser, routine: Routine) -> bool:
    """Whether this user may edit ``routine`` (a reviewer may only read its history)."""
    return editable_routines(user).filter(pk=routine.pk).exists()


def get_routine_for_editor(user: AnyUser, slug: str) -> Routine:
    """The routine, if this user may edit it; else 404."""
    routine = editable_routines(user).select_related("owner_unit").filter(slug=slug).first()
    if routine is None:
        raise Http404
    return routine


def get_routine_for_reviewer(user: AnyUser, slug: str) -> Routine:
    """The routine, if this user may read its history; else 404."""
    routine = reviewable_routines(user).select_related("owner_unit").filter(slug=slug).first()
    if routine is None:
        raise Http404
    return routine


def get_version_for_editor(user: AnyUser, slug: str, number: int) -> RoutineVersion:
    routine = get_routine_for_editor(user, slug)
    version = routine.versions.select_related("approved_by", "created_by").filter(number=number).first()
    if version is None:
        raise Http404
    version.routine = routine
    return version
