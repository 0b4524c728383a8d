"""A person-readable difference between two versions of a routine.

Both versions are flattened into labelled texts (title, summary, each section's title, each contact, each
agenda step) in one language and paired by position; a section's steps are matched by content, so one
inserted step is one added step. Each changed pair is shown word by word with <del> and <ins>. Screen readers do not announce <del>/<ins> by default, so each carries visually hidden
words saying "removed"/"added"; the CSS strikes through and underlines, so colour is never the only sign.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from routines.models import RoutineVersion


@dataclass
class Change:
    label: str
    html: SafeString
    kind: str  # "changed", "added" or "removed"


def _t(value, lang):
    return value.get(lang, "") if isinstance(value, dict) else ""


def _steps(section, lang) -> list[str]:
    return [_t(step, lang) for step in (section or {}).get("steps", [])]


def _aligned(old: list[str], new: list[str]):
    """(old number, new number, old text, new text) for each step, matched by content (difflib over the step
    lists), so inserting one step in the middle shows one added step rather than every later step changed."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            i, j = i1 + k, j1 + k
            yield (
                i + 1 if i < i2 else None,
                j + 1 if j < j2 else None,
                old[i] if i < i2 else "",
                new[j] if j < j2 else "",
            )


def _texts(version: RoutineVersion, lang: str) -> dict[tuple, tuple[str, str, str]]:
    """{position key: (group, label, text)} of everything but the sections' steps, in page order."""
    content = version.content
    out: dict[tuple, tuple[str, str, str]] = {}
    general = _("Title and summary")
    out[("title",)] = (general, _("Title"), getattr(version, f"title_{lang}"))
    out[("summary",)] = (general, _("Summary"), getattr(version, f"summary_{lang}"))
    for i, contact in enumerate(content.get("contacts", []), start=1):
        group = _("Emergency contact %(n)s") % {"n": i}
        out[("contact", i, "label")] = (group, _("Name"), _t(contact.get("label"), lang))
        out[("contact", i, "number")] = (group, _("Phone number"), contact.get("number", ""))
        out[("contact", i, "when")] = (group, _("When to call"), _t(contact.get("when"), lang))
        out[("contact", i, "hours")] = (group, _("Opening hours"), _t(contact.get("hours"), lang))
    for i, section in enumerate(content.get("sections", []), start=1):
        out[("section", i)] = (_("Section %(n)s") % {"n": i}, _("Section title"), _t(section.get("title"), lang))
    for i, item in enumerate(content.get("agenda", []), start=1):
        group = _("Agenda step %(n)s") % {"n": i}
        out[("agenda", i, "title")] = (group, _("Title"), _t(item.get("title"), lang))
        out[("agenda", i, "minutes")] = (group, _("Minutes"), str(item.get("minutes", "")))
        out[("agenda", i, "say")] = (group, _("What to say"), _t(item.get("say"), lang))
        questions = "\n".join(_t(q, lang) for q in item.get("questions", []))
        out[("agenda", i, "questions")] = (group, _("Questions for reflection"), questions)
    related = ", ".join(content.get("related", []))
    out[("related",)] = (_("Related routines"), _("Related routines"), related)
    return out


def _marked(tag: str, words: list[str]) -> str:
    hidden = _("removed:") if tag == "del" else _("added:")
    return f'<{tag}><span class="visually-hidden">[{hidden}] </span>{escape(" ".join(words))}</{tag}>'


def word_diff(old: str, new: str) -> SafeString:
    """``new`` with the words removed from ``old`` in <del> and the words added in <ins>, all escaped."""
    a, b = re.findall(r"\S+", old), re.findall(r"\S+", new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(_marked("del", a[i1:i2]))
        if op in ("insert", "replace"):
            parts.append(_marked("ins", b[j1:j2]))
    return mark_safe(" ".join(parts))


def version_diff(
    old: RoutineVersion, new: RoutineVersion, lang: str, *, contacts_first: bool = False
) -> list[tuple[str, list[Change]]]:
    """[(group, [changes])] for the groups where something changed, in page order; with ``contacts_first``
    the emergency contacts come before everything else (the approval screen)."""
    before, after = _texts(old, lang), _texts(new, lang)
    keys = list(after) + [k for k in before if k not in after]
    if contacts_first:
        keys.sort(key=lambda k: k[0] != "contact")
    groups: dict[str, list[Change]] = {}

    def add(group, label, old_text, new_text):
        if old_text == new_text:
            return
        kind = "added" if not old_text else "removed" if not new_text else "changed"
        groups.setdefault(group, []).append(Change(label=label, html=word_diff(old_text, new_text), kind=kind))

    old_sections, new_sections = old.content.get("sections", []), new.content.get("sections", [])
    for key in keys:
        group, label, new_text = after.get(key, (None, None, ""))
        old_group, old_label, old_text = before.get(key, (None, None, ""))
        add(group or old_group, label or old_label, old_text, new_text)
        if key[0] == "section":
            i = key[1] - 1
            old_section = old_sections[i] if i < len(old_sections) else None
            new_section = new_sections[i] if i < len(new_sections) else None
            for old_n, new_n, old_step, new_step in _aligned(_steps(old_section, lang), _steps(new_section, lang)):
                label = _("Step %(n)s") % {"n": new_n or old_n}
                add(group or old_group, label, old_step, new_step)
    return list(groups.items())
