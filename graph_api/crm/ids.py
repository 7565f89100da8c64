"""CRM record ids: Salesforce's 15- and 18-character Ids, HubSpot's numeric Record IDs.

A Salesforce Id has a case-sensitive 15-character form and an 18-character form whose last
three characters encode the case of the first fifteen, so tools that ignore case (Excel,
some databases) can use it. Both name the same record; the map keeps the 18-character form
as the externalId. Because the suffix encodes the case, an 18-character Id whose letters a
tool upper- or lower-cased is restored to the real one.
"""

from __future__ import annotations

import re
import string

_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_UPPER = frozenset(string.ascii_uppercase)
_SALESFORCE_ID = re.compile(r"[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?")
_HUBSPOT_ID = re.compile(r"[0-9]{1,30}")


class InvalidId(ValueError):
    """Not an id of the CRM; the message says why."""


def salesforce_suffix(id15: str) -> str:
    """The three checksum characters of a 15-character Id.

    Example:
        >>> salesforce_suffix("001A0000006Vm9r")
        'IAC'
    """
    suffix = ""
    for start in (0, 5, 10):
        bits = 0
        for position in range(5):
            if id15[start + position] in _UPPER:
                bits |= 1 << position
        suffix += _SUFFIX_ALPHABET[bits]
    return suffix


def salesforce_id(value: str) -> str:
    """The 18-character form of a 15- or 18-character Salesforce Id.

    Raises:
        InvalidId: not 15 or 18 letters and digits, or a suffix no Id can have.
    """
    text = value.strip()
    if not _SALESFORCE_ID.fullmatch(text):
        raise InvalidId(f"{value!r} is not a Salesforce Id (15 or 18 letters and digits)")
    if len(text) == 15:
        return text + salesforce_suffix(text)
    if text[15:] == salesforce_suffix(text[:15]):
        return text  # already the canonical form (the common case)
    head, suffix = list(text[:15]), text[15:].upper()
    for chunk, code in enumerate(suffix):
        bits = _SUFFIX_ALPHABET.find(code)
        if bits < 0:
            raise InvalidId(f"{value!r} is not a Salesforce Id (its checksum is not valid)")
        for position in range(5):
            index = chunk * 5 + position
            upper = bool(bits >> position & 1)
            if head[index].isdigit():
                if upper:
                    raise InvalidId(
                        f"{value!r} is not a Salesforce Id (its checksum does not match)"
                    )
            else:
                head[index] = head[index].upper() if upper else head[index].lower()
    return "".join(head) + suffix


def is_salesforce_id(value: str | None) -> bool:
    if value is None or len(value) != 18:
        return False
    try:
        return salesforce_id(value) == value
    except InvalidId:
        return False


def hubspot_id(value: str) -> str:
    """A HubSpot Record ID (digits), without surrounding blanks.

    Raises:
        InvalidId: anything but digits (a spreadsheet's ``1.2E+10`` is refused, not guessed).
    """
    text = value.strip()
    if not _HUBSPOT_ID.fullmatch(text):
        raise InvalidId(f"{value!r} is not a HubSpot Record ID (digits only)")
    return text


def is_hubspot_id(value: str | None) -> bool:
    return value is not None and _HUBSPOT_ID.fullmatch(value) is not None
