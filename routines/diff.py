"""A person-readable difference between two versions of a routine.

Both versions are flattened into labelled texts (title, summary, each section's title and steps, each
contact, each agenda step) in one language, paired by position, and each changed pair is shown word by word
with <del> and <ins>. Screen readers do not announce <del>/<ins> by default, so each carries visually hidden
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


def _texts(version: RoutineVersion, lang: str) -> dict[tuple, tuple[str, str]]:
    """{position key: (group, label, text)} of everything a reader sees, in page order."""
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
        group = _("Section %(n)s") % {"n": i}
        out[("section", i, "title")] = (group, _("Section title"), _t(section.get("title"), lang))
        for j, step in enumerate(section.get("steps", []), start=1):
            out[("section", i, "step", j)] = (group, _("Step %(n)s") % {"n": j}, _t(step, lang))
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
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece of text is escaped above


def version_diff(old: RoutineVersion, new: RoutineVersion, lang: str) -> list[tuple[str, list[Change]]]:
    """[(group, [changes])] for the groups where something changed, in page order."""
    before, after = _texts(old, lang), _texts(new, lang)
    keys = list(after) + [k for k in before if k not in after]
    groups: dict[str, list[Change]] = {}
    for key in keys:
        group, label, new_text = after.get(key, (None, None, ""))
        old_group, old_label, old_text = before.get(key, (None, None, ""))
        if old_text == new_text:
            continue
        kind = "added" if not old_text else "removed" if not new_text else "changed"
        groups.setdefault(group or old_group, []).append(
            Change(label=label or old_label, html=word_diff(old_text, new_text), kind=kind)
        )
    return list(groups.items())
