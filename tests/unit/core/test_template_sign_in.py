"""Cognito managed login for the web: one public app client per audience (authorization code + PKCE), their
callback and sign-out URLs from template parameters, a user pool domain, and the API accepting their tokens."""

import json
from pathlib import Path
from typing import Any

from helpdesk.local.gateway import load_template

ROOT = Path(__file__).resolve().parents[3]


def _template() -> dict[str, Any]:
    return load_template(ROOT / "template.yaml")


def test_one_public_code_flow_client_per_audience_with_urls_from_parameters() -> None:
    template = _template()
    resources, parameters = template["Resources"], template["Parameters"]
    assert resources["UserPoolDomain"]["Type"] == "AWS::Cognito::UserPoolDomain"
    for app, name in (("Console", "ConsoleUserPoolClient"), ("Portal", "PortalUserPoolClient")):
        props = resources[name]["Properties"]
        assert props["GenerateSecret"] is False  # a browser keeps no secret; PKCE protects the code
        assert props["AllowedOAuthFlows"] == ["code"]  # no implicit flow
        assert props["AllowedOAuthFlowsUserPoolClient"] is True
        assert "openid" in props["AllowedOAuthScopes"]
        assert props["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]  # no password flows from the web
        assert "custom:role" not in props["WriteAttributes"]
        assert "custom:tenant_id" not in props["WriteAttributes"]
        for key, param in (("CallbackURLs", f"{app}CallbackUrl"), ("LogoutURLs", f"{app}SignOutUrl")):
            assert param in parameters
            assert f'"Ref": "{param}"' in json.dumps(props[key])
    audience = resources["HttpApi"]["Properties"]["Auth"]["Authorizers"]["CognitoJwt"]["JwtConfiguration"]["audience"]
    assert {"Ref": "ConsoleUserPoolClient"} in audience
    assert {"Ref": "PortalUserPoolClient"} in audience


def test_the_published_web_config_names_both_clients() -> None:
    outputs = _template()["Outputs"]
    text = json.dumps(outputs["WebConfig"]["Value"])
    for needle in ("${ConsoleUserPoolClient}", "${PortalUserPoolClient}", "redirectUri", "signOutUri", "amazoncognito"):
        assert needle in text
