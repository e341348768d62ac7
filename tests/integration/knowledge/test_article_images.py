"""Pictures in articles through the real knowledge_api handler: DynamoDB and S3 on moto, embedded index.

Upload (presigned POST, stored as the browser's form would), the check by the file's leading bytes, and who may
read a picture: anyone for a published public article that shows it, the article's team for a draft's, nobody of
another tenant, ever.
"""

import base64
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.conftest import claims, http_event, rebuild
from tests.integration.core.test_upload_sweeper import removed, stored, sweep

BUCKET = "helpdesk-kb-images-test"
TEMPLATE = "knowledge_api/create_article.json"
AGENT = claims("agent-1", "acme", "agent")
ADMIN = claims("admin-1", "acme", "admin")
CUSTOMER = claims("cust-1", "acme", "customer")
FOREIGN_AGENT = claims("agent-9", "globex", "agent")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

Api = Callable[..., dict[str, Any]]
Invoke = Callable[..., dict[str, Any]]


@pytest.fixture
def api(kb: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setenv("HELPDESK_MAIL_BUCKET", BUCKET)
    rebuild()
    boto3.client("s3").create_bucket(Bucket=BUCKET)

    def call(method: str, path: str, who: dict[str, Any] | None, body: Any = None) -> dict[str, Any]:
        return invoke("knowledge_api", http_event(method, path, body=body, claims_=who, template=TEMPLATE))

    return call


def _article(api: Api, body: str = "# Printing\n\nPress Print.", who: dict[str, Any] = AGENT) -> str:
    r = api("POST", "/kb/articles", who, {"title": "Printing", "body": body})
    assert r["statusCode"] == 201, r["json"]
    return str(r["json"]["id"])


def _upload(api: Api, article_id: str, data: bytes, name: str = "print dialog.png",
            content_type: str = "image/png", who: dict[str, Any] = AGENT) -> dict[str, Any]:
    """Grant, store (as S3 would from the browser's form), complete: the completion's answer."""
    grant = api("POST", f"/kb/articles/{article_id}/images", who,
                {"filename": name, "content_type": content_type, "size": len(data)})
    assert grant["statusCode"] == 201, grant["json"]
    fields = grant["json"]["upload"]["fields"]
    assert fields["Content-Type"] == content_type
    assert fields["key"] == f"kb/acme/{article_id}/{grant['json']['image_id']}"
    boto3.client("s3").put_object(Bucket=BUCKET, Key=fields["key"], Body=data)
    return api("POST", f"/kb/articles/{article_id}/images/{grant['json']['image_id']}/complete", who)


def _bytes(response: dict[str, Any]) -> bytes:
    assert response["isBase64Encoded"], response
    return base64.b64decode(response["body"])


def test_a_picture_of_a_published_article_is_read_without_sign_in(api: Api) -> None:
    article_id = _article(api)
    done = _upload(api, article_id, PNG)
    assert done["statusCode"] == 200, done["json"]
    picture = done["json"]
    assert picture["url"] == f"/kb/public/acme/articles/{article_id}/images/{picture['id']}"
    assert picture["markdown"] == f"![print dialog]({picture['url']})"
    assert (picture["content_type"], picture["size"]) == ("image/png", len(PNG))

    # the team sees it in the draft's preview; the public route does not serve a draft's picture
    staff = api("GET", f"/kb/articles/{article_id}/images/{picture['id']}", AGENT)
    assert staff["statusCode"] == 200
    assert _bytes(staff) == PNG
    assert staff["headers"]["content-type"] == "image/png"
    assert staff["headers"]["x-content-type-options"] == "nosniff"
    assert staff["headers"]["cache-control"].startswith("private")
    assert api("GET", picture["url"], None)["statusCode"] == 404
    assert api("GET", f"/kb/articles/{article_id}/images/{picture['id']}", CUSTOMER)["statusCode"] == 404

    # published with the picture in its Markdown: anyone reads it
    body = f"# Printing\n\nPress Print.\n\n{picture['markdown']}\n"
    assert api("PATCH", f"/kb/articles/{article_id}", AGENT, {"body": body})["statusCode"] == 200
    assert api("POST", f"/kb/articles/{article_id}/publish", AGENT)["statusCode"] == 200
    public = api("GET", picture["url"], None)
    assert public["statusCode"] == 200, public
    assert _bytes(public) == PNG
    assert public["headers"]["content-type"] == "image/png"
    assert public["headers"]["x-content-type-options"] == "nosniff"
    assert public["headers"]["cache-control"] == "public, max-age=300"
    customer = api("GET", f"/kb/articles/{article_id}/images/{picture['id']}", CUSTOMER)
    assert customer["statusCode"] == 200
    assert _bytes(customer) == PNG

    # another picture of the article, not in its Markdown: the team's only
    other = _upload(api, article_id, JPEG, name="spare.jpg", content_type="image/jpeg")["json"]
    assert api("GET", other["url"], None)["statusCode"] == 404
    assert api("GET", f"/kb/articles/{article_id}/images/{other['id']}", CUSTOMER)["statusCode"] == 404
    assert api("GET", f"/kb/articles/{article_id}/images/{other['id']}", ADMIN)["statusCode"] == 200

    # archived: withdrawn with the article
    assert api("POST", f"/kb/articles/{article_id}/archive", AGENT)["statusCode"] == 200
    assert api("GET", picture["url"], None)["statusCode"] == 404


def test_another_tenant_never_reads_a_picture(api: Api) -> None:
    article_id = _article(api)
    picture = _upload(api, article_id, PNG)["json"]
    api("PATCH", f"/kb/articles/{article_id}", AGENT, {"body": f"See {picture['markdown']}"})
    api("POST", f"/kb/articles/{article_id}/publish", AGENT)
    assert api("GET", picture["url"], None)["statusCode"] == 200
    # the same ids under another tenant's name, or asked for by another tenant's agent: nothing
    assert api("GET", picture["url"].replace("/acme/", "/globex/"), None)["statusCode"] == 404
    for path in (f"/kb/articles/{article_id}/images/{picture['id']}",):
        assert api("GET", path, FOREIGN_AGENT)["statusCode"] == 404
    grant = api("POST", f"/kb/articles/{article_id}/images", FOREIGN_AGENT,
                {"filename": "x.png", "content_type": "image/png", "size": 10})
    assert grant["statusCode"] == 404
    assert api("POST", f"/kb/articles/{article_id}/images/{picture['id']}/complete",
               FOREIGN_AGENT)["statusCode"] == 404


def test_the_type_is_the_one_the_bytes_say(api: Api) -> None:
    """A WebP named .png is served as WebP; SVG, HTML or a program under a picture's name is refused and deleted."""
    article_id = _article(api)
    webp = _upload(api, article_id, WEBP, name="shot.png")
    assert webp["statusCode"] == 200
    assert webp["json"]["content_type"] == "image/webp"
    served = api("GET", f"/kb/articles/{article_id}/images/{webp['json']['id']}", AGENT)
    assert served["headers"]["content-type"] == "image/webp"

    for data in (SVG, b"<html><script>alert(1)</script></html>", b"MZ\x90\x00" + b"\x00" * 40):
        refused = _upload(api, article_id, data, name="shot.png")
        assert refused["statusCode"] == 415, refused["json"]
        assert refused["json"]["error"]["code"] == "unsupported_media_type"
    assert boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=f"kb/acme/{article_id}/")["KeyCount"] == 1


@pytest.mark.parametrize(("name", "content_type", "size", "status"), [
    ("logo.svg", "image/svg+xml", 100, 415),
    ("notes.pdf", "application/pdf", 100, 415),
    ("shot.gif", "image/png", 100, 415),
    ("huge.png", "image/png", 4 * 1024 * 1024 + 1, 413),
    ("empty.png", "image/png", 0, 422),
])
def test_declared_files_that_are_no_picture_are_refused(api: Api, name: str, content_type: str, size: int,
                                                        status: int) -> None:
    article_id = _article(api)
    r = api("POST", f"/kb/articles/{article_id}/images", AGENT,
            {"filename": name, "content_type": content_type, "size": size})
    assert r["statusCode"] == status, r["json"]
    assert set(r["json"]["error"]) == {"code", "message", "details"}


def test_uploads_are_the_teams_and_checked_once_stored(api: Api) -> None:
    article_id = _article(api)
    assert api("POST", f"/kb/articles/{article_id}/images", CUSTOMER,
               {"filename": "a.png", "content_type": "image/png", "size": 10})["statusCode"] == 403
    grant = api("POST", f"/kb/articles/{article_id}/images", AGENT,
                {"filename": "a.png", "content_type": "image/png", "size": len(PNG)})["json"]
    complete = f"/kb/articles/{article_id}/images/{grant['image_id']}/complete"
    not_yet = api("POST", complete, AGENT)
    assert not_yet["statusCode"] == 409
    assert not_yet["json"]["error"]["details"]["reason"] == "not_uploaded"
    assert api("POST", complete, ADMIN)["statusCode"] == 404  # someone else's upload
    # a pending picture is served to nobody
    assert api("GET", f"/kb/articles/{article_id}/images/{grant['image_id']}", AGENT)["statusCode"] == 404
    boto3.client("s3").put_object(Bucket=BUCKET, Key=grant["upload"]["fields"]["key"], Body=PNG + b"more")
    assert api("POST", complete, AGENT)["statusCode"] == 413  # not the size declared: deleted
    assert api("GET", f"/kb/articles/{article_id}/images/{'0' * 32}", AGENT)["statusCode"] == 404
    assert api("GET", f"/kb/articles/{article_id}/images/not-an-id", AGENT)["statusCode"] in (400, 422)


def test_a_picture_never_completed_is_deleted_when_its_record_expires(api: Api, invoke: Invoke) -> None:
    """Only the tenant's own: a record of another tenant naming this tenant's object deletes nothing."""
    article_id = _article(api)
    grant = api("POST", f"/kb/articles/{article_id}/images", AGENT,
                {"filename": "tray.png", "content_type": "image/png", "size": len(PNG)})["json"]
    key = grant["upload"]["fields"]["key"]
    boto3.client("s3").put_object(Bucket=BUCKET, Key=key, Body=PNG)  # uploaded, never completed

    event = removed(f"KB#acme#IMG#{article_id}", grant["image_id"])
    forged = copy.deepcopy(event)
    image = forged["Records"][0]["dynamodb"]["OldImage"]
    image["pk"] = {"S": f"KB#globex#IMG#{article_id}"}
    image["data"] = {"S": json.dumps({**json.loads(image["data"]["S"]), "tenant_id": "globex"})}
    assert sweep(invoke, forged) == []
    assert stored(key, BUCKET)
    assert sweep(invoke, event) == []
    assert not stored(key, BUCKET)
