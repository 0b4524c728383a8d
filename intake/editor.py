"""The item-by-item diff of two question tree versions, for the editors' screens (the upload form is in
intake.forms)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.questionnaire import EXT_MAX_OCCURS, EXT_MIN_OCCURS, Tree, extension_value


@dataclass
class ItemChange:
    link_id: str
    kind: str  # added | removed | changed
    text: str
    changes: list[str]


def _facts(tree: Tree, item) -> dict:
    return {
        "text": item.text,
        "type": item.type,
        "options": [(o.get("code"), o.get("display")) for o in tree.options(item)]
        if item.type in {"choice", "open-choice"}
        else [],
        "enableWhen": item.raw.get("enableWhen", []),
        "enableBehavior": item.raw.get("enableBehavior", ""),
        "required": bool(item.raw.get("required")),
        "repeats": bool(item.raw.get("repeats")),
        "occurs": "{}..{}".format(
            extension_value(item.raw, EXT_MIN_OCCURS) or 0, extension_value(item.raw, EXT_MAX_OCCURS) or "*"
        ),
    }


FACT_NAMES = {
    "text": gettext_lazy("text"),
    "type": gettext_lazy("type"),
    "options": gettext_lazy("options"),
    "enableWhen": gettext_lazy("conditions (enableWhen)"),
    "enableBehavior": gettext_lazy("enableBehavior"),
    "required": gettext_lazy("required"),
    "repeats": gettext_lazy("repeats"),
    "occurs": gettext_lazy("minOccurs..maxOccurs"),
}


def tree_diff(old: dict, new: dict) -> list[ItemChange]:
    """Items added, removed and changed between two Questionnaire documents, matched by linkId, in the new
    document's order (removed items last)."""
    a, b = Tree(old), Tree(new)
    changes: list[ItemChange] = []
    for item in b.items:
        before = a.by_link_id.get(item.link_id)
        if before is None:
            changes.append(ItemChange(item.link_id, "added", item.text, []))
            continue
        was, now = _facts(a, before), _facts(b, item)
        differing = [key for key in was if was[key] != now[key]]
        if differing:
            details = []
            for key in differing:
                if key in {"text", "type", "required", "enableBehavior", "repeats", "occurs"}:
                    details.append(
                        _("%(what)s: “%(old)s” → “%(new)s”")
                        % {"what": FACT_NAMES[key], "old": was[key], "new": now[key]}
                    )
                elif key == "options":
                    old_codes, new_codes = dict(was[key]), dict(now[key])
                    added = [code for code in new_codes if code not in old_codes]
                    removed = [code for code in old_codes if code not in new_codes]
                    relabelled = [
                        code for code in new_codes if code in old_codes and new_codes[code] != old_codes[code]
                    ]
                    details.append(
                        _("options: added %(added)s; removed %(removed)s; renamed %(renamed)s")
                        % {
                            "added": ", ".join(map(str, added)) or "-",
                            "removed": ", ".join(map(str, removed)) or "-",
                            "renamed": ", ".join(map(str, relabelled)) or "-",
                        }
                    )
                else:
                    details.append(_("%(what)s changed") % {"what": FACT_NAMES[key]})
            changes.append(ItemChange(item.link_id, "changed", item.text, details))
    for item in a.items:
        if item.link_id not in b.by_link_id:
            changes.append(ItemChange(item.link_id, "removed", item.text, []))
    return changes
