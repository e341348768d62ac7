"""Imports API: a tenant's admins bring their history over from the helpdesk they leave, from the console.

POST /imports                 {source, url, email?, token, since?, limit?, dry_run?, macros?, ...}: 202, queued
GET  /imports                 the latest imports, newest first (the token is never shown)
GET  /imports/{id}            one import: its status, progress and report
POST /imports/{id}/cancel     stop it; what came over stays
POST /imports/check           {source, url, email?, token}: do these sign in there, as whom (nothing is kept)
"""

from typing import Annotated

from fastapi import Depends, Path, Response
from pydantic import BaseModel

from helpdesk.bootstrap import container
from helpdesk.imports.jobs import ConnectionCheck, ImportJob, ImportUrlRefused, NewImport
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.errors import ApiError

app = create_app("Helpdesk imports", description="Bring tickets, people, macros, views, SLA policies, triggers and "
                 "articles over from Zendesk, Zammad or FreeScout.", openapi_url="/imports/openapi.json",
                 docs_url=None)
Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role
ImportId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z-]+$")]


class ImportPage(BaseModel):
    items: list[ImportJob]


@app.post("/imports", status_code=202, response_model=ImportJob, tags=["imports"])
def start_import(body: NewImport, caller: Admin, response: Response) -> ImportJob:
    """The address must be https to a public host (422 `import_url_refused`); one import at a time per tenant (409
    `import_running`). The job is queued: follow it at `GET /imports/{id}`."""
    try:
        job = container().import_jobs.start(caller, body)
    except ImportUrlRefused as refused:
        raise ApiError(422, refused.code, refused.message, refused.details) from refused
    response.headers["Location"] = f"/imports/{job.id}"
    return job


@app.post("/imports/check", response_model=ConnectionCheck, tags=["imports"])
def check_connection(body: NewImport, caller: Admin) -> ConnectionCheck:
    """Signs in to the old helpdesk once with the form's address and credentials and says as whom (and how many
    tickets wait, where it counts them): `ok` false names the problem (credentials refused, not an admin there,
    nothing answering). The address is held to the import's rule (422 `import_url_refused`). The token is used for
    this request only."""
    try:
        return container().import_jobs.check(caller, body)
    except ImportUrlRefused as refused:
        raise ApiError(422, refused.code, refused.message, refused.details) from refused


@app.get("/imports", response_model=ImportPage, tags=["imports"])
def list_imports(caller: Admin) -> ImportPage:
    return ImportPage(items=container().import_jobs.listed(caller))


@app.get("/imports/{import_id}", response_model=ImportJob, tags=["imports"])
def get_import(import_id: ImportId, caller: Admin) -> ImportJob:
    return container().import_jobs.get(caller, import_id)


@app.post("/imports/{import_id}/cancel", response_model=ImportJob, tags=["imports"])
def cancel_import(import_id: ImportId, caller: Admin) -> ImportJob:
    """A round under way stops within seconds; what it wrote stays. A finished import is answered as it is."""
    return container().import_jobs.cancel(caller, import_id)


lambda_handler = http_handler(app)
