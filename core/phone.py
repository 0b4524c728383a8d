"""Phone numbers as people type them: the ``tel:`` address to dial and the grouping to read at a glance.

Routines, safety plans and their printouts all show numbers; these helpers are the one place that knows how a
Norwegian number is dialled and read.
"""

import re

SHORT_NUMBER = re.compile(r"^\d{3,6}$")  # 112, 113, 116117
NORWEGIAN_NUMBER = re.compile(r"^\d{8}$")

_DIAL_TYPED = re.compile(r"^\+?[\d\s.\-]+$")


def tel_href(number: str) -> str:
    """``tel:`` address for a number as people write it: "116 117" -> tel:116117, "73 86 54 41" -> tel:+4773865441."""
    digits = re.sub(r"[^\d+]", "", number)
    if NORWEGIAN_NUMBER.match(digits):
        digits = "+47" + digits
    return f"tel:{digits}"


def _groups(digits: str, sizes: tuple[int, ...]) -> str:
    out, start = [], 0
    for size in sizes:
        out.append(digits[start : start + size])
        start += size
    return " ".join(out)


def dial_format(number: str) -> str:
    """A number grouped the way Norwegians read it aloud, for dialling at a glance: "22123456" -> "22 12 34 56",
    mobile and service numbers 3-2-3 ("80012345" -> "800 12 345"), "116117" -> "116 117", "+47 22123456" ->
    "+47 22 12 34 56". Anything else (foreign numbers, extensions, words) is kept as typed."""
    typed = number.strip()
    if not _DIAL_TYPED.match(typed):
        return typed
    digits = re.sub(r"[^\d+]", "", typed)
    prefix = ""
    if digits.startswith("+47") and len(digits) == 11:
        prefix, digits = "+47 ", digits[3:]
    elif digits.startswith("+"):
        return typed
    if NORWEGIAN_NUMBER.match(digits):
        return prefix + _groups(digits, (3, 2, 3) if digits[0] in "489" else (2, 2, 2, 2))
    if prefix:
        return typed
    if len(digits) == 6:
        return _groups(digits, (3, 3))
    if len(digits) <= 5:
        return digits
    return typed
