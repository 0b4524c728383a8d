"""The filters of the access log and the access review: plain GET forms that validate, nothing else."""

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django import forms
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from audit.review import filterable_record_types, record_type_for_page
from core.auditing import Kind

UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
SHORT_ID = re.compile(r"^[0-9a-f-]{4,36}$", re.IGNORECASE)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


@dataclass(frozen=True)
class RecordQuery:
    type: str  # "" for any type
    id: str
    exact: bool  # a whole id (exact match) or the start of one (the short id the log shows)


def parse_record(text: str) -> RecordQuery | None:
    """A record id, a short id from the log, or the address of a record's page; None if it is none of them."""
    text = text.strip()
    if "/" in text:
        try:
            match = resolve(urlparse(text).path)
        except Resolver404:
            return None
        pk = match.kwargs.get("pk")
        if pk is None:
            return None
        record_type = record_type_for_page(match)  # a pasted address says which kind of record it is about
        return RecordQuery(type=record_type.model if record_type else "", id=str(pk), exact=True)
    found = UUID_IN_TEXT.fullmatch(text)
    if found:
        return RecordQuery(type="", id=str(uuid.UUID(text)), exact=True)
    if text.isdigit() and len(text) < 8:  # a whole number id (a unit's); eight digits may start a UUID
        return RecordQuery(type="", id=text, exact=True)
    if SHORT_ID.match(text):
        return RecordQuery(type="", id=text.lower(), exact=False)
    return None


class AuditFilterForm(forms.Form):
    person: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Person"), queryset=None, required=False, empty_label=_("Everyone"), to_field_name="username"
    )
    kind = forms.ChoiceField(label=_("Kind of action"), required=False)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    record = forms.CharField(
        label=_("Record"),
        required=False,
        max_length=300,
        help_text=_("A record's id, the short id shown in the log, or the address of its page."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda user: (
            f"{user.username} ({user.get_full_name()})" if user.get_full_name() else user.username
        )
        self.fields["kind"].choices = [("", _("All"))] + Kind.choices
        self.fields["record_type"].choices = [("", _("All"))] + [
            (t.model, str(t.label)) for t in filterable_record_types()
        ]

    def clean_record(self) -> RecordQuery | None:
        text = self.cleaned_data["record"]
        if not text.strip():
            return None
        query = parse_record(text)
        if query is None:
            raise forms.ValidationError(
                _("Enter a record's id, the short id shown in the log, or the address of its page.")
            )
        return query

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data


class ReviewForm(forms.Form):
    since = forms.DateField(label=_("From"), required=True, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
    unit: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("All your units")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("since"), data.get("until")
        if start and end and start > end:
            self.add_error("until", _("The end of the period cannot be before its start."))
        return data
