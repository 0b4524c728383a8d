"""A person-readable difference between two versions of a routine.

Both versions are flattened into labelled texts (title, summary, each section's title, each contact, each
role card, each agenda step) in one language, as a reader sees them (rendered Markdown as plain words, related routines by
title). Contacts, sections and agenda steps are paired by name or title, so moving one is not a change; a
section's steps are matched by content, so one inserted step is one added step. Each changed pair is shown word by word with <del> and <ins>. Screen readers do not announce <del>/<ins> by default, so each carries visually hidden
words saying "removed"/"added"; the CSS strikes through and underlines, so colour is never the only sign.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from routines.content import render_markdown
from routines.models import RoutineVersion


@dataclass
class Change:
    label: str
    html: SafeString
    kind: str  # "changed", "added" or "removed"


def _t(value, lang):
    return value.get(lang, "") if isinstance(value, dict) else ""


def _plain(markdown_text: str) -> str:
    """What a reader sees of a step: the rendered Markdown as plain words, not ``**`` and ``[text](url)``."""
    return re.sub(r"\s+", " ", strip_tags(render_markdown(markdown_text))).strip()


def _steps(section, lang) -> list[str]:
    return [_plain(_t(step, lang)) for step in (section or {}).get("steps", [])]


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


def _match(old: list, new: list, key) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) of rows matched by ``key`` (a contact's name, a section's title), then the
    rest by position, so moving a row is not a change; an index is None for a row only on one side."""
    pairs: list[tuple[int | None, int | None]] = []
    used: set[int] = set()
    unmatched_new = []
    for j, row in enumerate(new):
        i = next((i for i, o in enumerate(old) if i not in used and key(o) and key(o) == key(row)), None)
        if i is None:
            unmatched_new.append(j)
        else:
            used.add(i)
            pairs.append((i, j))
    unmatched_old = [i for i in range(len(old)) if i not in used]
    for k in range(max(len(unmatched_old), len(unmatched_new))):
        pairs.append(
            (unmatched_old[k] if k < len(unmatched_old) else None, unmatched_new[k] if k < len(unmatched_new) else None)
        )
    return sorted(pairs, key=lambda p: (p[1] if p[1] is not None else len(new), p[0] or 0))


def _contact_texts(contact, lang) -> dict[str, tuple[str, str]]:
    contact = contact or {}
    return {
        "label": (_("Name"), _t(contact.get("label"), lang)),
        "number": (_("Phone number"), contact.get("number", "")),
        "when": (_("When to call"), _t(contact.get("when"), lang)),
        "hours": (_("Opening hours"), _t(contact.get("hours"), lang)),
    }


def _agenda_texts(item, lang) -> dict[str, tuple[str, str]]:
    item = item or {}
    return {
        "title": (_("Title"), _t(item.get("title"), lang)),
        "minutes": (_("Minutes"), str(item.get("minutes", "")) if item else ""),
        "say": (_("What to say"), _plain(_t(item.get("say"), lang))),
        "questions": (_("Questions for reflection"), "\n".join(_t(q, lang) for q in item.get("questions", []))),
    }


def _role_texts(role, lang) -> dict[str, tuple[str, str]]:
    role = role or {}
    return {
        "title": (_("Role"), _t(role.get("title"), lang)),
        "duties": (_("Responsibilities"), "\n".join(_t(d, lang) for d in role.get("duties", []))),
        "holder": (_("Who usually has this role"), _t(role.get("holder"), lang)),
    }


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
    old: RoutineVersion,
    new: RoutineVersion,
    lang: str,
    *,
    contacts_first: bool = False,
    titles: dict[str, str] | None = None,
) -> list[tuple[str, list[Change]]]:
    """[(group, [changes])] for the groups where something changed, in page order; with ``contacts_first``
    the emergency contacts come before everything else (the approval screen). Rows are matched by name or
    title, so a change of order alone is no change; related routines are named by ``titles`` (slug: title)."""
    groups: dict[str, list[Change]] = {}

    def add(group, label, old_text, new_text):
        if old_text == new_text:
            return
        kind = "added" if not old_text else "removed" if not new_text else "changed"
        groups.setdefault(group, []).append(Change(label=label, html=word_diff(old_text, new_text), kind=kind))

    def general():
        group = _("Title and summary")
        add(group, _("Title"), getattr(old, f"title_{lang}"), getattr(new, f"title_{lang}"))
        add(group, _("Summary"), getattr(old, f"summary_{lang}"), getattr(new, f"summary_{lang}"))

    def contacts():
        before, after = old.content.get("contacts", []), new.content.get("contacts", [])
        for i, j in _match(before, after, lambda c: _t(c.get("label"), "nb").strip().lower()):
            group = _("Emergency contact %(n)s") % {"n": (j if j is not None else i or 0) + 1}
            a = _contact_texts(before[i] if i is not None else None, lang)
            b = _contact_texts(after[j] if j is not None else None, lang)
            for key, (label, text) in b.items():
                add(group, label, a[key][1], text)

    def sections():
        before, after = old.content.get("sections", []), new.content.get("sections", [])
        for i, j in _match(before, after, lambda s: _t(s.get("title"), "nb").strip().lower()):
            old_section = before[i] if i is not None else None
            new_section = after[j] if j is not None else None
            group = _("Section %(n)s") % {"n": (j if j is not None else i or 0) + 1}
            add(
                group,
                _("Section title"),
                _t((old_section or {}).get("title"), lang),
                _t((new_section or {}).get("title"), lang),
            )
            for old_n, new_n, old_step, new_step in _aligned(_steps(old_section, lang), _steps(new_section, lang)):
                add(group, _("Step %(n)s") % {"n": new_n or old_n}, old_step, new_step)

    def agenda():
        before, after = old.content.get("agenda", []), new.content.get("agenda", [])
        for i, j in _match(before, after, lambda a: _t(a.get("title"), "nb").strip().lower()):
            group = _("Agenda step %(n)s") % {"n": (j if j is not None else i or 0) + 1}
            a = _agenda_texts(before[i] if i is not None else None, lang)
            b = _agenda_texts(after[j] if j is not None else None, lang)
            for key, (label, text) in b.items():
                add(group, label, a[key][1], text)

    def roles():
        before, after = old.content.get("roles", []), new.content.get("roles", [])
        for i, j in _match(before, after, lambda r: _t(r.get("title"), "nb").strip().lower()):
            group = _("Role card %(n)s") % {"n": (j if j is not None else i or 0) + 1}
            a = _role_texts(before[i] if i is not None else None, lang)
            b = _role_texts(after[j] if j is not None else None, lang)
            for key, (label, text) in b.items():
                add(group, label, a[key][1], text)

    def related():
        names = titles or {}

        def text(version):
            return ", ".join(sorted(names.get(slug, slug) for slug in version.content.get("related", [])))

        add(_("Related routines"), _("Related routines"), text(old), text(new))

    parts = [general, contacts, sections, roles, agenda, related]
    if contacts_first:
        parts = [contacts, general, sections, roles, agenda, related]
    for part in parts:
        part()
    return list(groups.items())
