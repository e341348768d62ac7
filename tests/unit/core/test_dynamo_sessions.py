"""Every PynamoDB connection of a thread shares one botocore session (`platform/dynamo/sessions.py`): a session
per connection read DynamoDB's service model again for each, on every cold start and in every test."""

import threading

from pynamodb.connection import Connection

from helpdesk.platform.dynamo.models import MetaModel, Tables, TicketEventModel, TicketModel, bind_tables


def _bound() -> Tables:
    """The tables as they are named now (renaming them would be felt by the next test in this process)."""
    return bind_tables(tickets=TicketModel.Meta.table_name, ticket_events=TicketEventModel.Meta.table_name,
                       meta=MetaModel.Meta.table_name, region=TicketModel.Meta.region)


def test_the_models_and_the_adapters_connections_share_their_threads_session() -> None:
    tables = _bound()
    adapters = Connection(region="us-east-1")  # as the repositories make theirs for transactions
    sessions = {id(model._get_connection().connection.session) for model in tables.all}
    assert sessions == {id(adapters.session)}
    assert Connection(region="eu-west-1").session is adapters.session  # the region is the client's, not the session's


def test_another_thread_has_a_session_of_its_own() -> None:
    _bound()
    here = Connection(region="us-east-1").session
    there: list[object] = []
    thread = threading.Thread(target=lambda: there.append(Connection(region="us-east-1").session))
    thread.start()
    thread.join()
    assert there
    assert there[0] is not here
    assert Connection(region="us-east-1").session is here
