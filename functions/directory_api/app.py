"""Directory API: a tenant's people (agents, admins, customers), groups and customers' organisations.
Agents and admins read (assignment pickers); admins change (agents keep an organisation's notes). Every change is in
the audit log.

GET   /users?role=&active=&limit=&cursor=       in id order
POST  /users                {email, name, role, groups?, language?, signature?}   invites the person (Cognito)
GET   /users/{user_id}
PATCH /users/{user_id}      {name, role, groups, language, signature, active, away}     active false disables
PATCH /users/me             {language, signature, notify_by_mail, notify_new_tickets, away, after_reply}   one's own
GET   /groups               POST /groups {id?, name, description, members, auto_assign?, assignment?, capacity?}
GET   /groups/{group_id}    PATCH /groups/{group_id} {name, description, members, auto_assign, assignment, capacity}
                            capacity: 1..1000 unsolved tickets per member from automatic assignment (null: no limit)
GET   /organizations        POST /organizations {name, domains, shared_tickets, notes}
GET   /organizations/{id}   PATCH /organizations/{id} {name, domains, shared_tickets, notes}  DELETE /organizations/{id}
GET   /customers/{key}/notes   PUT /customers/{key}/notes {notes}   the team's notes on a customer (agents and admins)
GET   /customers/{key}/profile PATCH /customers/{key}/profile {name, phone, language}   who the customer is (staff)
GET   /customers/me/profile    PATCH /customers/me/profile {name, phone, language}    a signed-in customer's own

GET of one record, POST and PATCH answer `ETag: "<version>"`; PATCH and DELETE take `If-Match` with it (another
version: 409 `concurrent_update`, nothing changed; without it the change applies to whatever is stored).
"""

from typing import Annotated

from fastapi import Depends, Path, Query, Response

from helpdesk.bootstrap import container
from helpdesk.directory.model import (
    ID_PATTERN,
    CustomerNotes,
    CustomerNotesChange,
    Group,
    GroupChange,
    NewGroup,
    NewOrganization,
    NewUser,
    Organization,
    OrganizationChange,
    ProfileChange,
    User,
    UserChange,
    UserPage,
)
from helpdesk.directory.profiles import CustomerProfile, CustomerProfileChange, OwnCustomerProfile
from helpdesk.kernel.principal import Principal, Role
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal
from helpdesk.web.paths import CustomerKeyPath
from helpdesk.web.versioning import IfMatch, expected_version, set_etag

app = create_app("Helpdesk directory", description="The team directory: users (agents, admins, customers), "
                 "groups and organisations. A ticket's `group` is a group id of this directory and its "
                 "`assignee_id` an active agent's user id in that group (otherwise 422 `invalid_assignment`). "
                 "Agents read, admins change. A record's `ETag` is its version; `If-Match` with it on a PATCH or "
                 "DELETE turns a change made meanwhile into 409 `concurrent_update`.",
                 openapi_url="/directory/openapi.json", docs_url=None)
Caller = Annotated[Principal, Depends(current_principal)]  # the service checks the role
UserId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[\w-]+$")]
GroupId = Annotated[str, Path(pattern=ID_PATTERN)]
OrganizationId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


@app.get("/users", response_model=UserPage, tags=["users"])
def list_users(caller: Caller, role: Annotated[Role | None, Query()] = None,
               active: Annotated[bool | None, Query()] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 50,
               cursor: Annotated[str | None, Query(max_length=2048)] = None) -> UserPage:
    return container().directory.users(caller, role=role, active=active, limit=limit, cursor=cursor)


@app.post("/users", status_code=201, response_model=User, tags=["users"])
def create_user(body: NewUser, caller: Caller, response: Response) -> User:
    """Creates the account and mails the invitation (in AWS, Cognito's, with a temporary password)."""
    user = container().directory.create_user(caller, body)
    response.headers["Location"] = f"/users/{user.id}"
    set_etag(response, user.version)
    return user


@app.patch("/users/me", response_model=User, tags=["users"])
def update_my_profile(body: ProfileChange, caller: Caller) -> User:
    """Agents and admins: their own language, reply signature, mail about their tickets, and where the console goes
    after they send a reply (`after_reply`: stay, next, list)."""
    return container().directory.update_profile(caller, body)


@app.get("/users/{user_id}", response_model=User, tags=["users"])
def get_user(user_id: UserId, caller: Caller, response: Response) -> User:
    """`me`: the caller's own record, as every API applies it to their calls (role, groups, ticket access)."""
    user = container().directory.user(caller, user_id)
    set_etag(response, user.version)
    return user


@app.patch("/users/{user_id}", response_model=User, tags=["users"])
def update_user(user_id: UserId, body: UserChange, caller: Caller, response: Response,
                if_match: IfMatch = None) -> User:
    """`If-Match` pins the user's own fields; their `groups` are the groups' members (each group has its version)."""
    user = container().directory.update_user(caller, user_id, body, expected_version(if_match))
    set_etag(response, user.version)
    return user


@app.get("/groups", response_model=list[Group], tags=["groups"])
def list_groups(caller: Caller) -> list[Group]:
    return container().directory.groups(caller)


@app.post("/groups", status_code=201, response_model=Group, tags=["groups"])
def create_group(body: NewGroup, caller: Caller, response: Response) -> Group:
    group = container().directory.create_group(caller, body)
    response.headers["Location"] = f"/groups/{group.id}"
    set_etag(response, group.version)
    return group


@app.get("/groups/{group_id}", response_model=Group, tags=["groups"])
def get_group(group_id: GroupId, caller: Caller, response: Response) -> Group:
    group = container().directory.group(caller, group_id)
    set_etag(response, group.version)
    return group


@app.patch("/groups/{group_id}", response_model=Group, tags=["groups"])
def update_group(group_id: GroupId, body: GroupChange, caller: Caller, response: Response,
                 if_match: IfMatch = None) -> Group:
    group = container().directory.update_group(caller, group_id, body, expected_version(if_match))
    set_etag(response, group.version)
    return group


@app.get("/organizations", response_model=list[Organization], tags=["organizations"])
def list_organizations(caller: Caller) -> list[Organization]:
    return container().directory.organizations(caller)


@app.post("/organizations", status_code=201, response_model=Organization, tags=["organizations"])
def create_organization(body: NewOrganization, caller: Caller, response: Response) -> Organization:
    organization = container().directory.create_organization(caller, body)
    response.headers["Location"] = f"/organizations/{organization.id}"
    set_etag(response, organization.version)
    return organization


@app.get("/organizations/{organization_id}", response_model=Organization, tags=["organizations"])
def get_organization(organization_id: OrganizationId, caller: Caller, response: Response) -> Organization:
    organization = container().directory.organization(caller, organization_id)
    set_etag(response, organization.version)
    return organization


@app.patch("/organizations/{organization_id}", response_model=Organization, tags=["organizations"])
def update_organization(organization_id: OrganizationId, body: OrganizationChange, caller: Caller, response: Response,
                        if_match: IfMatch = None) -> Organization:
    """Admins; agents too when the change is the notes alone (what the team knows about the company)."""
    organization = container().directory.update_organization(caller, organization_id, body,
                                                             expected_version(if_match))
    set_etag(response, organization.version)
    return organization


@app.delete("/organizations/{organization_id}", status_code=204, tags=["organizations"])
def delete_organization(organization_id: OrganizationId, caller: Caller, if_match: IfMatch = None) -> Response:
    """Admins. Its mail domains are released (another organisation may claim them; mail from them opens tickets
    with no organisation); tickets opened for it keep its id, and `GET /organizations/{id}` is then 404."""
    container().directory.delete_organization(caller, organization_id, expected_version(if_match))
    return Response(status_code=204)


@app.get("/customers/{customer_key}/notes", response_model=CustomerNotes, tags=["customers"])
def customer_notes(customer_key: CustomerKeyPath, caller: Caller, response: Response) -> CustomerNotes:
    """Agents and admins: what the team noted about the customer (empty, version 0, where nobody wrote any)."""
    notes = container().customer_notes.notes(caller, customer_key)
    set_etag(response, notes.version)
    return notes


@app.put("/customers/{customer_key}/notes", response_model=CustomerNotes, tags=["customers"])
def save_customer_notes(customer_key: CustomerKeyPath, body: CustomerNotesChange, caller: Caller, response: Response,
                        if_match: IfMatch = None) -> CustomerNotes:
    """Agents and admins. `If-Match` with the version read (`"0"` before any notes): a teammate's save since is a
    409 `concurrent_update`, nothing changed."""
    notes = container().customer_notes.save(caller, customer_key, body, expected_version(if_match))
    set_etag(response, notes.version)
    return notes


# Before the customer's key routes: `me` is no key (keys are at least three characters).
@app.get("/customers/me/profile", response_model=OwnCustomerProfile, tags=["customers"])
def my_customer_profile(caller: Caller, response: Response) -> OwnCustomerProfile:
    """A signed-in customer: their name, phone and language as the team keeps them (empty, version 0, where nothing
    was set). Kept under the customer their address is linked to, if any. `organization`: the company claiming
    their address's domain, and whether they see its people's tickets (`GET /tickets?shared=true`)."""
    profile = container().customer_profiles.own(caller)
    set_etag(response, profile.version)
    return profile


@app.patch("/customers/me/profile", response_model=OwnCustomerProfile, tags=["customers"])
def change_my_customer_profile(body: CustomerProfileChange, caller: Caller, response: Response,
                               if_match: IfMatch = None) -> OwnCustomerProfile:
    """A signed-in customer changes their own name, phone or language (the team's mails to them follow it); only
    the fields sent change, null clears one."""
    profile = container().customer_profiles.change_own(caller, body, expected_version(if_match))
    set_etag(response, profile.version)
    return profile


@app.get("/customers/{customer_key}/profile", response_model=CustomerProfile, tags=["customers"])
def customer_profile(customer_key: CustomerKeyPath, caller: Caller, response: Response) -> CustomerProfile:
    """Agents and admins: the customer's name, phone and language (empty, version 0, where nothing was set)."""
    profile = container().customer_profiles.profile(caller, customer_key)
    set_etag(response, profile.version)
    return profile


@app.patch("/customers/{customer_key}/profile", response_model=CustomerProfile, tags=["customers"])
def change_customer_profile(customer_key: CustomerKeyPath, body: CustomerProfileChange, caller: Caller,
                            response: Response, if_match: IfMatch = None) -> CustomerProfile:
    """Agents and admins. Only the fields sent change; null clears one. `language` is the language of the team's
    mails to them (receipts, replies, rating mails, reminders). `If-Match` with the version read: a change made
    since is a 409 `concurrent_update`, nothing changed."""
    profile = container().customer_profiles.change(caller, customer_key, body, expected_version(if_match))
    set_etag(response, profile.version)
    return profile


lambda_handler = http_handler(app)
