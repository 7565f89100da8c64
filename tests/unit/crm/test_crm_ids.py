"""Salesforce's 15- and 18-character Ids, HubSpot's Record IDs."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_api.crm.ids import (
    InvalidId,
    hubspot_id,
    is_hubspot_id,
    is_salesforce_id,
    salesforce_id,
    salesforce_suffix,
)


def test_the_documented_example() -> None:
    assert salesforce_suffix("001A0000006Vm9r") == "IAC"
    assert salesforce_id("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert salesforce_id(" 001A0000006Vm9rIAC ") == "001A0000006Vm9rIAC"


def test_an_18_character_id_whose_case_was_lost_is_restored() -> None:
    assert salesforce_id("001A0000006VM9RIAC") == "001A0000006Vm9rIAC"
    assert salesforce_id("001a0000006vm9riac") == "001A0000006Vm9rIAC"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "001A0000006Vm9",
        "001A0000006Vm9rIA",
        "001A0000006Vm9r-AC",
        "001A00000 6Vm9r",
        "001A0000006Vm9r!!!",
        "0010000006Vm9rIAC9",
    ],
)
def test_anything_else_is_refused(bad: str) -> None:
    with pytest.raises(InvalidId):
        salesforce_id(bad)


def test_a_suffix_no_id_can_have_is_refused() -> None:
    with pytest.raises(InvalidId, match="checksum"):
        salesforce_id("001000000000000ZZZ")  # Z says some of the first five are upper-case
    assert not is_salesforce_id("001A0000006Vm9rIAB")
    assert is_salesforce_id("001A0000006Vm9rIAC")
    assert not is_salesforce_id("p-dana")


@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=15, max_size=15))
def test_the_15_and_18_character_forms_name_one_record(id15: str) -> None:
    id18 = salesforce_id(id15)
    assert id18[:15] == id15
    assert salesforce_id(id18) == id18
    assert salesforce_id(id18.upper()) == id18
    assert salesforce_id(id18.lower()) == id18


def test_hubspot_record_ids_are_digits() -> None:
    assert hubspot_id(" 1234567 ") == "1234567"
    assert is_hubspot_id("42")
    assert not is_hubspot_id("4.2E+10")
    with pytest.raises(InvalidId, match="digits only"):
        hubspot_id("1.23E+10")
