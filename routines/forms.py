"""Forms for the routine editor.

The content document (see routines.models.RoutineVersion) is edited through plain formsets: one for sections,
one per section for its steps, one for emergency contacts, one for the agenda and one for the role cards.
Every content field is
optional here: a draft may be half-written. Whether it may be *published* is decided by
routines.content.validate_content, so the editor sees the same messages the service would raise.

Adding a row works without JavaScript: an "add" submit button re-renders the bound forms with one more
empty row, so nothing typed is lost.
"""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routines.models import Routine

# Fixed paths under /routines/ that a routine's slug must never take, or its page would be unreachable.
RESERVED_SLUGS = {"editor", "new", "overdue", "session", "search", "admin", "static"}


def _area(rows=2):
    return forms.Textarea(attrs={"rows": rows})


class RoutineCreateForm(forms.ModelForm):
    title_nb = forms.CharField(label=_("Title (bokmål)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)

    class Meta:
        model = Routine
        fields = ["slug", "category", "kind", "owner_unit", "staff_only"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units
        self.fields["owner_unit"].empty_label = None

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved for the app's own pages. Choose another address."), params={"slug": slug}
            )
        if Routine.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("A routine with the address “%(slug)s” exists already. Choose another address."),
                params={"slug": slug},
            )
        return slug


class VersionForm(forms.Form):
    """The editor's first part: the version's titles and summaries."""

    title_nb = forms.CharField(label=_("Title (bokmål)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    summary_nb = forms.CharField(label=_("Summary (bokmål)"), widget=_area(3), required=False)
    summary_en = forms.CharField(label=_("Summary (English)"), widget=_area(3), required=False)


class RelatedForm(forms.Form):
    """The editor's last part: which other routines the page points to."""

    related = forms.MultipleChoiceField(
        label=_("Related routines"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, related_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related"].choices = related_choices


class ApprovalForm(forms.Form):
    """The second person's approval. The number tick is only on the form when phone numbers change."""

    numbers_confirmed = forms.BooleanField(
        label=_("I have checked every changed phone number above against its source"), required=False
    )
    next_review = forms.DateField(
        label=_("Next review"),
        help_text=_("Leave empty for one year from today."),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )

    def __init__(self, *args, with_numbers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_numbers:
            del self.fields["numbers_confirmed"]
        else:
            self.fields["numbers_confirmed"].required = True
            self.fields["numbers_confirmed"].error_messages["required"] = _(
                "Check each changed phone number against its source, then tick that you have checked them."
            )

    def clean_next_review(self):
        next_review = self.cleaned_data["next_review"]
        if next_review is not None and next_review <= timezone.localdate():
            raise forms.ValidationError(_("The next review must be a date after today."))
        return next_review


class SectionForm(forms.Form):
    title_nb = forms.CharField(label=_("Section title (bokmål)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Section title (English)"), max_length=200, required=False)
    afterwards = forms.BooleanField(label=_("What to do afterwards"), required=False)


class StepForm(forms.Form):
    nb = forms.CharField(label=_("Step (bokmål)"), widget=_area(), max_length=2000, required=False)
    en = forms.CharField(label=_("Step (English)"), widget=_area(), max_length=2000, required=False)


class ContactForm(forms.Form):
    label_nb = forms.CharField(label=_("Name (bokmål)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    number = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    when_nb = forms.CharField(label=_("When to call (bokmål)"), max_length=300, required=False)
    when_en = forms.CharField(label=_("When to call (English)"), max_length=300, required=False)
    hours_nb = forms.CharField(label=_("Opening hours (bokmål)"), max_length=200, required=False)
    hours_en = forms.CharField(label=_("Opening hours (English)"), max_length=200, required=False)


class AgendaForm(forms.Form):
    title_nb = forms.CharField(label=_("Agenda step (bokmål)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Agenda step (English)"), max_length=200, required=False)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=600, required=False)
    say_nb = forms.CharField(label=_("What to say (bokmål)"), widget=_area(3), max_length=4000, required=False)
    say_en = forms.CharField(label=_("What to say (English)"), widget=_area(3), max_length=4000, required=False)
    questions_nb = forms.CharField(
        label=_("Questions for reflection (bokmål)"),
        help_text=_("One question a line."),
        widget=_area(3),
        required=False,
    )
    questions_en = forms.CharField(
        label=_("Questions for reflection (English)"),
        help_text=_("One question a line."),
        widget=_area(3),
        required=False,
    )


class RoleForm(forms.Form):
    """A role card: who does what when the routine is in use (leader, log-keeper, contact to the police ...)."""

    title_nb = forms.CharField(label=_("Role (bokmål)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Role (English)"), max_length=200, required=False)
    duties_nb = forms.CharField(
        label=_("Responsibilities (bokmål)"),
        help_text=_("One short responsibility a line."),
        widget=_area(4),
        max_length=4000,
        required=False,
    )
    duties_en = forms.CharField(
        label=_("Responsibilities (English)"),
        help_text=_("One short responsibility a line, in the same order as in bokmål."),
        widget=_area(4),
        max_length=4000,
        required=False,
    )
    holder_nb = forms.CharField(
        label=_("Who usually has this role (bokmål)"),
        help_text=_("Optional. A position, not a name: names change, the printed folder does not."),
        max_length=200,
        required=False,
    )
    holder_en = forms.CharField(label=_("Who usually has this role (English)"), max_length=200, required=False)


SectionFormSet = formset_factory(SectionForm, extra=0, can_delete=True, can_order=True)
StepFormSet = formset_factory(StepForm, extra=0, can_delete=True, can_order=True)
ContactFormSet = formset_factory(ContactForm, extra=0, can_delete=True, can_order=True)
AgendaFormSet = formset_factory(AgendaForm, extra=0, can_delete=True, can_order=True)
RoleFormSet = formset_factory(RoleForm, extra=0, can_delete=True, can_order=True)


def _pair(value) -> tuple[str, str]:
    value = value if isinstance(value, dict) else {}
    return value.get("nb", ""), value.get("en", "")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _paired_lines(text_nb: str, text_en: str) -> list[dict[str, str]]:
    """Two texts of one item a line as [{"nb": ..., "en": ...}], the shorter padded with empty lines (which
    validate_content then names)."""
    nb, en = _lines(text_nb), _lines(text_en)
    count = max(len(nb), len(en))
    nb += [""] * (count - len(nb))
    en += [""] * (count - len(en))
    return [{"nb": a, "en": b} for a, b in zip(nb, en, strict=True)]


def _role_initial(role: dict) -> dict[str, str]:
    return {
        **dict(zip(("title_nb", "title_en"), _pair(role.get("title")), strict=True)),
        "duties_nb": "\n".join(d.get("nb", "") for d in role.get("duties", [])),
        "duties_en": "\n".join(d.get("en", "") for d in role.get("duties", [])),
        **dict(zip(("holder_nb", "holder_en"), _pair(role.get("holder")), strict=True)),
    }


CONTENT_PARTS = ("contacts", "sections", "agenda", "roles")


class ContentEditor:
    """The content formsets of one version, bound (``data``) or filled from ``content``: those of ``parts``
    (a subset of CONTENT_PARTS; all by default). The editor shows one part a page, so a page binds and
    validates only its own formsets, and saving it leaves the other parts as they are."""

    def __init__(self, *, data=None, content=None, with_agenda=False, parts=CONTENT_PARTS):
        self.with_agenda = with_agenda
        self.parts = {part for part in parts if part != "agenda" or with_agenda}
        if data is None:
            content = content or {}
            sections = content.get("sections", [])
            self.sections = SectionFormSet(
                prefix="sections",
                initial=[
                    dict(
                        zip(("title_nb", "title_en"), _pair(s.get("title")), strict=True),
                        afterwards=bool(s.get("afterwards")),
                    )
                    for s in sections
                ],
            )
            self.steps = [
                StepFormSet(
                    prefix=f"sections-{i}-steps",
                    initial=[dict(zip(("nb", "en"), _pair(step), strict=True)) for step in s.get("steps", [])],
                )
                for i, s in enumerate(sections)
            ]
            self.contacts = ContactFormSet(
                prefix="contacts",
                initial=[
                    {
                        **dict(zip(("label_nb", "label_en"), _pair(c.get("label")), strict=True)),
                        "number": c.get("number", ""),
                        **dict(zip(("when_nb", "when_en"), _pair(c.get("when")), strict=True)),
                        **dict(zip(("hours_nb", "hours_en"), _pair(c.get("hours")), strict=True)),
                    }
                    for c in content.get("contacts", [])
                ],
            )
            self.agenda = AgendaFormSet(
                prefix="agenda",
                initial=[
                    {
                        **dict(zip(("title_nb", "title_en"), _pair(a.get("title")), strict=True)),
                        "minutes": a.get("minutes", 0),
                        **dict(zip(("say_nb", "say_en"), _pair(a.get("say")), strict=True)),
                        "questions_nb": "\n".join(q.get("nb", "") for q in a.get("questions", [])),
                        "questions_en": "\n".join(q.get("en", "") for q in a.get("questions", [])),
                    }
                    for a in content.get("agenda", [])
                ],
            )
            self.roles = RoleFormSet(prefix="roles", initial=[_role_initial(r) for r in content.get("roles", [])])
        else:
            # The parts not on this page are left unbound and empty: they are neither shown nor saved.
            def bound(formset_class, prefix):
                return formset_class(data if part_of(prefix) in self.parts else None, prefix=prefix)

            def part_of(prefix):
                return prefix.split("-", 1)[0]

            self.sections = bound(SectionFormSet, "sections")
            self.steps = [
                bound(StepFormSet, f"sections-{i}-steps")
                for i in range(self.sections.total_form_count() if "sections" in self.parts else 0)
            ]
            self.contacts = bound(ContactFormSet, "contacts")
            self.agenda = bound(AgendaFormSet, "agenda")
            self.roles = bound(RoleFormSet, "roles")

    @property
    def section_rows(self):
        """(section form, its steps formset) pairs, for the template."""
        return list(zip(self.sections.forms, self.steps, strict=True))

    def formsets(self):
        """The formsets of this editor's parts (the agenda's only for a facilitator guide)."""
        formsets = []
        if "sections" in self.parts:
            formsets += [self.sections, *self.steps]
        if "contacts" in self.parts:
            formsets.append(self.contacts)
        if "agenda" in self.parts:
            formsets.append(self.agenda)
        if "roles" in self.parts:
            formsets.append(self.roles)
        return formsets

    def non_form_errors(self) -> list[str]:
        return [error for formset in self.formsets() if formset.is_bound for error in formset.non_form_errors()]

    def is_valid(self) -> bool:
        return all(formset.is_valid() for formset in self.formsets())

    def content(self) -> dict:
        """The parts of the content document this editor holds, from valid forms: removed rows dropped, rows in
        their chosen order, rows left completely empty ignored. The caller merges them into the saved content."""
        content: dict[str, list] = {}
        if "sections" in self.parts:
            content["sections"] = self._sections()
        if "contacts" in self.parts:
            content["contacts"] = self._contacts()
        if "agenda" in self.parts:
            content["agenda"] = self._agenda()
        if "roles" in self.parts:
            content["roles"] = self._roles()
        return content

    def _sections(self) -> list[dict]:
        sections = []
        for form in self.sections.ordered_forms:
            index = self.sections.forms.index(form)
            steps = [
                {"nb": f.cleaned_data.get("nb", "").strip(), "en": f.cleaned_data.get("en", "").strip()}
                for f in self.steps[index].ordered_forms
            ]
            steps = [s for s in steps if s["nb"] or s["en"]]
            data = form.cleaned_data
            title = {"nb": data.get("title_nb", "").strip(), "en": data.get("title_en", "").strip()}
            if not (title["nb"] or title["en"] or steps):
                continue
            section: dict[str, Any] = {"title": title, "steps": steps}
            if data.get("afterwards"):
                section["afterwards"] = True
            sections.append(section)
        return sections

    def _contacts(self) -> list[dict]:
        contacts = []
        for form in self.contacts.ordered_forms:
            d = form.cleaned_data
            contact = {
                "label": {"nb": d.get("label_nb", "").strip(), "en": d.get("label_en", "").strip()},
                "number": d.get("number", "").strip(),
                "when": {"nb": d.get("when_nb", "").strip(), "en": d.get("when_en", "").strip()},
                "hours": {"nb": d.get("hours_nb", "").strip(), "en": d.get("hours_en", "").strip()},
            }
            if any([*contact["label"].values(), contact["number"], *contact["when"].values()]):
                contacts.append(contact)
        return contacts

    def _agenda(self) -> list[dict]:
        agenda = []
        for form in self.agenda.ordered_forms:
            d = form.cleaned_data
            questions_nb, questions_en = _lines(d.get("questions_nb")), _lines(d.get("questions_en"))
            count = max(len(questions_nb), len(questions_en))
            questions_nb += [""] * (count - len(questions_nb))
            questions_en += [""] * (count - len(questions_en))
            title = {"nb": d.get("title_nb", "").strip(), "en": d.get("title_en", "").strip()}
            say = {"nb": d.get("say_nb", "").strip(), "en": d.get("say_en", "").strip()}
            item = {
                "title": title,
                "minutes": d.get("minutes") or 0,
                "say": say,
                "questions": [{"nb": nb, "en": en} for nb, en in zip(questions_nb, questions_en, strict=True)],
            }
            if any([*title.values(), *say.values()]):
                agenda.append(item)
        return agenda

    def _roles(self) -> list[dict[str, Any]]:
        roles = []
        for form in self.roles.ordered_forms:
            d = form.cleaned_data
            title = {"nb": d.get("title_nb", "").strip(), "en": d.get("title_en", "").strip()}
            duties = _paired_lines(d.get("duties_nb", ""), d.get("duties_en", ""))
            holder = {"nb": d.get("holder_nb", "").strip(), "en": d.get("holder_en", "").strip()}
            if any([*title.values(), duties, *holder.values()]):
                roles.append({"title": title, "duties": duties, "holder": holder})
        return roles


def add_row(data, action: str):
    """A copy of the POST data with one more empty row where ``action`` asks for it (``add-section``,
    ``add-step-<i>``, ``add-contact``, ``add-agenda``, ``add-role``); None if ``action`` is not an add."""
    prefix = {"add-section": "sections", "add-contact": "contacts", "add-agenda": "agenda", "add-role": "roles"}.get(
        action
    )
    if prefix is None and action.startswith("add-step-") and action[9:].isdigit():
        prefix = f"sections-{int(action[9:])}-steps"
    if prefix is None or f"{prefix}-TOTAL_FORMS" not in data:
        return None
    data = data.copy()
    total = int(data[f"{prefix}-TOTAL_FORMS"] or 0)
    data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, 200))
    if prefix == "sections":
        # A new section starts with one empty step.
        data[f"sections-{total}-steps-TOTAL_FORMS"] = "1"
        data[f"sections-{total}-steps-INITIAL_FORMS"] = "0"
    return data
