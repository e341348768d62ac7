"""Blocked senders: an address matches itself, a domain matches itself and its subdomains, nothing else."""

import pytest

from helpdesk.mail.blocklist import blocked_entry, is_blocked


def test_entries_are_kept_in_one_form() -> None:
    assert blocked_entry(" Pat@Pushy.Example ") == "pat@pushy.example"
    assert blocked_entry("*@spam.example") == blocked_entry("@spam.example") == "spam.example"
    for bad in ("", "@", "x@", "no spaces@x.example", "localhost", "a@b"):
        with pytest.raises(ValueError, match="not an address or a domain"):
            blocked_entry(bad)


def test_a_domain_blocks_its_subdomains_not_its_lookalikes() -> None:
    entries = ["pat@pushy.example", "spam.example"]
    assert is_blocked("PAT@pushy.example", entries)
    assert not is_blocked("kim@pushy.example", entries)
    assert is_blocked("x@spam.example", entries)
    assert is_blocked("x@mail.spam.example", entries)
    assert not is_blocked("x@notspam.example", entries)
    assert not is_blocked("x@spam.example.org", entries)
