"""Who a `helpdesk` command acts as: the person running it, by login name, so the audit log names them."""

import getpass

import pytest

from helpdesk.kernel.principal import Role, operator_principal


def test_an_operator_is_an_admin_of_one_tenant_named_by_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "dana")
    caller = operator_principal("acme")
    assert (caller.user_id, caller.tenant_id, caller.role) == ("operator:dana", "acme", Role.ADMIN)


def test_without_a_login_name_it_is_still_an_operator_not_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert operator_principal("acme").user_id == "operator:unknown"
