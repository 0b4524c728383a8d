"""Spotting personal data in free text, so the reporter is warned before saving it."""

import re

_ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})\s?(\d{5})(?!\d)")
# Norwegian phone numbers: eight digits (mobile 4/9, landline 2-7), optionally +47/0047, spaces allowed.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)47\s?)?[2-9]\d(?:\s?\d){6}(?!\d)")

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def is_national_id(digits: str) -> bool:
    """An 11-digit Norwegian national identity number (fødselsnummer or D-number) with valid mod-11 checks."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    k1 = 11 - sum(w * x for w, x in zip(_W1, d)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(w * x for w, x in zip(_W2, d[:9] + [k1])) % 11
    k2 = 0 if k2 == 11 else k2
    return k1 != 10 and k2 != 10 and (k1, k2) == (d[9], d[10])


def looks_like_national_id(text: str) -> bool:
    return any(is_national_id(a + b) for a, b in _ELEVEN_DIGITS.findall(text or ""))


def looks_like_phone(text: str) -> bool:
    # Emergency numbers (112, 113, 116 117) are too short to match.
    return bool(_PHONE.search(text or ""))
