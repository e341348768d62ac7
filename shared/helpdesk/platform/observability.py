"""Powertools Logger and Metrics, and the Lambda entry point every HTTP function uses.

No tracing SDK: `Tracing: Active` in the template has Lambda record each invocation's segment (init, invoke,
overhead) without one. The X-Ray SDK (Powertools Tracer) cost about as much as `import boto3` at every cold
start and entered maintenance mode in February 2026; per-call subsegments come from the ADOT Lambda layer
(OpenTelemetry, zero code), which a deployment adds as a layer when it wants them."""

import logging
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.utilities.typing import LambdaContext

# Service name and metrics namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE.
logger = Logger()
metrics = Metrics()
# Modules that must import without the AWS SDK (models and what they reach, such as the assistant's circuit
# breaker and the knowledge re-ranker; tests/unit/core/test_architecture.py) log with the standard library under
# "helpdesk". That logger writes through this Logger's handler and JSON formatter, so their lines carry the
# invocation's keys (correlation id, cold start) like the others, instead of Lambda's plain text.
logging.getLogger("helpdesk")
copy_config_to_registered_loggers(source_logger=logger, include={"helpdesk"})

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def http_handler(asgi_app: Any) -> LambdaHandler:
    """Wrap a FastAPI app for API Gateway (HTTP API, payload v2) with Mangum and Powertools."""
    from mangum import Mangum

    adapter = Mangum(asgi_app, lifespan="off")

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
    @metrics.log_metrics(capture_cold_start_metric=True)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        response: dict[str, Any] = adapter(event, context)  # type: ignore[arg-type]  # same shape, other stubs
        return response

    handler: LambdaHandler = lambda_handler
    return handler
