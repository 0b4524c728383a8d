"""The case's contacts: the list on the case, recording a stay, a day visit or a phone conversation, changing
or deleting one (a counted one is taken back out of the statistics and counted again as corrected), and the
registration for the statistics, with its correction after saving."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audit.services import audit_log
from contacts import services as contact_services
from contacts.access import get_contact_for_user
from contacts.counting import YearClosed, closed_years, counted_year
from contacts.forms import ConsentForm, StayForm, contact_form_class
from contacts.models import RECORD_LABELS, CaseContact
from contacts.registration import answers_of, gender_of, questions_form, registration_version
from contacts.selectors import contacts_of, final_years, registration_closed_year, registration_of
from contacts.services import (
    AlreadyRegistered,
    contact_change,
    contact_record,
    registration_correct,
    registration_record,
)
from intake.access import get_intake_for_user, intake_role_required
from intake.questionnaire import Tree
from intake.selectors import may_change_intake
from intake.wizard import answers_display, step_questions


@require_safe
@intake_role_required
def contact_list(request: HttpRequest, pk: Any) -> HttpResponse:
    intake = get_intake_for_user(request.user, pk)
    audit_log(actor=request.user, action="contact.list_viewed", target=intake, unit=intake.unit)
    registration = registration_of(intake)
    final = final_years(intake.unit)
    contacts = contacts_of(intake)
    # Counted in a year whose report is final: no longer changed or deleted (contacts.counting).
    in_final_year = {contact.pk for contact in contacts if contact.counted and counted_year(contact) in final}
    answers = []
    if registration is not None and registration.tree_version is not None:
        tree = Tree(registration.tree_version.questionnaire)
        answers = [
            (item, answers_display(item, registration.answers[item.link_id]))
            for item in step_questions(tree.steps[0])
            if registration.answers.get(item.link_id)
        ]
    return render(
        request,
        "contacts/list.html",
        {
            "intake": intake,
            "contacts": contacts,
            "in_final_year": in_final_year,
            "registration": registration,
            "registration_final_year": registration_closed_year(registration) if registration else None,
            "answers": answers,
            "can_change": may_change_intake(request.user, intake),
            "kinds": [(kind, RECORD_LABELS[kind]) for kind in CaseContact.Kind],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def contact_new(request: HttpRequest, pk: Any, kind: str) -> HttpResponse:
    """Record a contact; the form comes with today's date, so a phone conversation is open and Save."""
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if kind not in CaseContact.Kind.values:
        raise Http404
    form = contact_form_class(kind)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact_record(
            intake=intake,
            user=request.user,
            kind=kind,
            started_on=data["started_on"],
            ended_on=data.get("ended_on"),
            went_to=data.get("went_to") or "",
            children_ages=data.get("children_ages") or [],
        )
        messages.success(request, _("%(kind)s recorded.") % {"kind": CaseContact.Kind(kind).label})
        return redirect("contacts:list", pk=intake.pk)
    return render(
        request,
        "contacts/contact_form.html",
        {
            "intake": intake,
            "form": form,
            "kind": CaseContact.Kind(kind),
            "heading": RECORD_LABELS[CaseContact.Kind(kind)],
        },
        status=400 if form.is_bound else 200,
    )


def _year_closed_message(request: HttpRequest, year: int) -> None:
    messages.error(
        request,
        _(
            "The annual report for %(year)s is final (its pseudonym key is destroyed), so what it counted can no "
            "longer be changed."
        )
        % {"year": year},
    )


def _contact_closed_year(contact: CaseContact) -> int | None:
    if not contact.counted:
        return None
    closed = closed_years(contact.unit, [counted_year(contact)])
    return closed[0] if closed else None


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def contact_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """Change a contact. A counted one is corrected in the statistics too (replaced, never counted twice)."""
    contact = get_contact_for_user(request.user, pk, for_change=True)
    closed = _contact_closed_year(contact)
    if closed is not None:
        _year_closed_message(request, closed)
        return redirect("contacts:list", pk=contact.intake_id)
    initial = {
        "started_on": contact.started_on,
        "ended_on": contact.ended_on,
        "went_to": contact.went_to,
        "children_ages": ", ".join(str(child.age) for child in contact.children.all()),
    }
    form = contact_form_class(contact.kind)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_change(
                contact=contact,
                user=request.user,
                started_on=data["started_on"],
                ended_on=data.get("ended_on"),
                went_to=data.get("went_to") or "",
                children_ages=data.get("children_ages") if isinstance(form, StayForm) else None,
            )
        except YearClosed as closed_year:
            _year_closed_message(request, closed_year.year)
        else:
            messages.success(request, _("Contact saved."))
        return redirect("contacts:list", pk=contact.intake_id)
    return render(
        request,
        "contacts/contact_form.html",
        {
            "intake": contact.intake,
            "form": form,
            "kind": CaseContact.Kind(contact.kind),
            "contact": contact,
            "heading": _("Change: %(kind)s") % {"kind": CaseContact.Kind(contact.kind).label},
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def contact_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    """Delete a contact recorded by mistake, after a confirmation page; a counted one leaves the statistics."""
    contact = get_contact_for_user(request.user, pk, for_change=True)
    closed = _contact_closed_year(contact)
    if closed is not None:
        _year_closed_message(request, closed)
        return redirect("contacts:list", pk=contact.intake_id)
    if request.method == "POST":
        try:
            contact_services.contact_delete(contact=contact, user=request.user)
        except YearClosed as closed_year:
            _year_closed_message(request, closed_year.year)
        else:
            messages.success(request, _("%(kind)s deleted.") % {"kind": CaseContact.Kind(contact.kind).label})
        return redirect("contacts:list", pk=contact.intake_id)
    return render(request, "contacts/contact_delete.html", {"intake": contact.intake, "contact": contact})


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def registration(request: HttpRequest, pk: Any) -> HttpResponse:
    """Register the person for the statistics: consent first; the questions only count with consent."""
    intake = get_intake_for_user(request.user, pk, for_change=True)
    if registration_of(intake) is not None:
        messages.info(request, _("This case is registered already."))
        return redirect("contacts:list", pk=intake.pk)
    if intake.is_draft:
        messages.info(request, _("Finalize the intake before registering the person for the statistics."))
        return redirect("contacts:list", pk=intake.pk)
    version = registration_version(get_language())
    if version is None:
        return render(request, "contacts/registration.html", {"intake": intake, "missing_form": True})
    tree = Tree(version.questionnaire)
    data = request.POST or None
    consent_form = ConsentForm(data)
    questions = questions_form(tree, intake, data)
    if request.method == "POST" and consent_form.is_valid():
        consented = consent_form.consented
        if not consented or questions.is_valid():
            answers = answers_of(tree, questions) if consented else {}
            c = consent_form.cleaned_data
            try:
                registration_record(
                    intake=intake,
                    user=request.user,
                    consent=c["consent"],
                    consent_how=c.get("consent_how") or "",
                    tree_version=version,
                    answers=answers,
                    birth_year=c.get("birth_year"),
                    initials=c.get("initials") or "",
                    gender=gender_of(answers),
                )
            except AlreadyRegistered:
                messages.info(request, _("This case is registered already."))
            else:
                messages.success(request, _("The person is registered for the statistics."))
            return redirect("contacts:list", pk=intake.pk)
    return render(
        request,
        "contacts/registration.html",
        {"intake": intake, "consent_form": consent_form, "questions": questions, "version": version},
        status=400 if consent_form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def registration_change(request: HttpRequest, pk: Any) -> HttpResponse:
    """Correct the registration after it was saved: the same form, filled in with what it holds. The person's
    statistics are replaced by the corrected ones; refused once a year she is counted in is final."""
    intake = get_intake_for_user(request.user, pk, for_change=True)
    current = registration_of(intake)
    if current is None:
        return redirect("contacts:register", pk=intake.pk)
    closed = registration_closed_year(current)
    if closed is not None:
        _year_closed_message(request, closed)
        return redirect("contacts:list", pk=intake.pk)
    if request.method != "POST":
        # The page shows the attributes the pseudonym is made from: a read of the case, logged as one.
        audit_log(actor=request.user, action="registration.opened", target=intake, unit=intake.unit)
    version = registration_version(get_language())
    if version is None:
        return render(request, "contacts/registration.html", {"intake": intake, "missing_form": True})
    tree = Tree(version.questionnaire)
    data = request.POST or None
    initial = {
        "consent": current.consent,
        "consent_how": current.consent_how,
        "birth_year": current.birth_year,
        "initials": current.initials,
    }
    consent_form = ConsentForm(data, initial=initial)
    questions = questions_form(tree, intake, data, answers=current.answers if current.consented else None)
    if request.method == "POST" and consent_form.is_valid():
        consented = consent_form.consented
        if not consented or questions.is_valid():
            answers = answers_of(tree, questions) if consented else {}
            c = consent_form.cleaned_data
            try:
                registration_correct(
                    registration=current,
                    user=request.user,
                    consent=c["consent"],
                    consent_how=c.get("consent_how") or "",
                    tree_version=version,
                    answers=answers,
                    birth_year=c.get("birth_year"),
                    initials=c.get("initials") or "",
                    gender=gender_of(answers),
                )
            except YearClosed as closed_year:
                _year_closed_message(request, closed_year.year)
            else:
                messages.success(request, _("The registration is corrected."))
            return redirect("contacts:list", pk=intake.pk)
    return render(
        request,
        "contacts/registration.html",
        {
            "intake": intake,
            "consent_form": consent_form,
            "questions": questions,
            "version": version,
            "correcting": True,
        },
        status=400 if consent_form.is_bound else 200,
    )
