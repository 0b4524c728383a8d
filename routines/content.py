"""The content of a routine version: its shape, its checks, and turning it into what a page shows.

Step texts are a small Markdown subset (bold, lists, links). They are stored as typed and rendered through
Markdown and then the nh3 sanitizer, so no raw HTML a user typed ever reaches a page or a PDF.
"""

import re
from functools import lru_cache

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.phone import tel_href

LANGS = ("nb", "en")
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br"}


# People write "Explain:\n- this\n- that"; Markdown only starts a list after a blank line, so add one.
_LIST_AFTER_TEXT = re.compile(r"^((?![ \t]*(?:[-*+]|\d+\.)[ \t]).*\S.*)\n([ \t]*(?:[-*+]|\d+\.)[ \t])", re.MULTILINE)


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """Sanitized HTML for a step text. Safe to mark safe: nh3 keeps only ALLOWED_TAGS and http(s)/mailto/tel
    links."""
    html = markdown.markdown(_LIST_AFTER_TEXT.sub(r"\1\n\n\2", text), extensions=[], output_format="html")
    return mark_safe(
        nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto", "tel"})
    )


def _text(value, lang: str) -> str:
    return (value or {}).get(lang, "") if isinstance(value, dict) else ""


def localize(content: dict, lang: str) -> dict:
    """The content in one language, ready for a template: step HTML rendered, tel: links made."""
    return {
        "contacts": [
            {
                "label": _text(c.get("label"), lang),
                "number": c.get("number", ""),
                "tel": tel_href(c.get("number", "")),
                "when": _text(c.get("when"), lang),
                "hours": _text(c.get("hours"), lang),
            }
            for c in content.get("contacts", [])
        ],
        "sections": [
            {
                "title": _text(s.get("title"), lang),
                "afterwards": bool(s.get("afterwards")),
                "steps": [render_markdown(_text(step, lang)) for step in s.get("steps", [])],
            }
            for s in content.get("sections", [])
        ],
        "roles": [
            {
                "title": _text(role.get("title"), lang),
                "duties": [_text(duty, lang) for duty in role.get("duties", [])],
                "holder": _text(role.get("holder"), lang),
            }
            for role in content.get("roles", [])
        ],
        "agenda": [
            {
                "title": _text(item.get("title"), lang),
                "minutes": item.get("minutes", 0),
                "say": render_markdown(_text(item.get("say"), lang)),
                "questions": [_text(q, lang) for q in item.get("questions", [])],
            }
            for item in content.get("agenda", [])
        ],
    }


def validate_content(content: dict) -> list[str]:
    """Problems that stop a version from being published, each saying what to fix."""
    problems = []
    sections = content.get("sections", [])
    if not sections:
        problems.append(_("Add at least one section with steps before publishing."))
    for i, section in enumerate(sections, start=1):
        for lang in LANGS:
            if not _text(section.get("title"), lang).strip():
                problems.append(_("Section %(n)s needs a title in both languages.") % {"n": i})
                break
        steps = section.get("steps", [])
        if not steps:
            problems.append(_("Section %(n)s has no steps.") % {"n": i})
        for j, step in enumerate(steps, start=1):
            if any(not _text(step, lang).strip() for lang in LANGS):
                problems.append(_("Step %(j)s in section %(n)s needs text in both languages.") % {"j": j, "n": i})
    for i, contact in enumerate(content.get("contacts", []), start=1):
        number = re.sub(r"[\s-]", "", contact.get("number", ""))
        if not number:
            problems.append(_("Emergency contact %(n)s has no phone number.") % {"n": i})
        elif not re.fullmatch(r"\+?\d{3,15}", number):
            problems.append(
                _("Emergency contact %(n)s: %(number)s is not a phone number (digits and spaces only).")
                % {"n": i, "number": contact.get("number")}
            )
        if any(not _text(contact.get("label"), lang).strip() for lang in LANGS):
            problems.append(_("Emergency contact %(n)s needs a name in both languages.") % {"n": i})
    for i, role in enumerate(content.get("roles", []), start=1):
        if any(not _text(role.get("title"), lang).strip() for lang in LANGS):
            problems.append(_("Role card %(n)s needs a role title in both languages.") % {"n": i})
        duties = role.get("duties", [])
        if not duties:
            problems.append(_("Role card %(n)s has no responsibilities: add at least one.") % {"n": i})
        for j, duty in enumerate(duties, start=1):
            if any(not _text(duty, lang).strip() for lang in LANGS):
                problems.append(
                    _("Role card %(n)s: responsibility %(j)s needs text in both languages.") % {"n": i, "j": j}
                )
    return problems
