"""Bedrock Titan v2 through botocore's Stubber (moto does not model bedrock-runtime)."""

import io
import json

import boto3
import numpy as np
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from helpdesk.knowledge.adapters.bedrock_titan import BedrockTitanEmbedder


def titan_response(vector: list[float]) -> dict[str, object]:
    payload = json.dumps({"embedding": vector, "embeddingsByType": {"float": vector},
                          "inputTextTokenCount": 7}).encode()
    return {"body": StreamingBody(io.BytesIO(payload), len(payload)), "contentType": "application/json"}


def test_embeds_each_text_with_titan_v2_and_normalises() -> None:
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    embedder = BedrockTitanEmbedder(client, dimension=256)
    with Stubber(client) as stub:
        for text, vector in (("reset my password", [3.0, 4.0] + [0.0] * 254), ("refund", [0.0, 2.0] + [0.0] * 254)):
            stub.add_response("invoke_model", titan_response(vector), {
                "modelId": "amazon.titan-embed-text-v2:0", "contentType": "application/json",
                "accept": "application/json",
                "body": json.dumps({"inputText": text, "dimensions": 256, "normalize": True})})
        vectors = embedder.embed(["reset my password", "   ", "refund"])  # the blank one is never sent
        stub.assert_no_pending_responses()
    assert vectors.shape == (3, 256)
    assert vectors.dtype == np.float32
    assert vectors[0][:2].tolist() == pytest.approx([0.6, 0.8])
    assert not vectors[1].any()
    assert vectors[2][:2].tolist() == pytest.approx([0.0, 1.0])


def test_a_throttled_call_surfaces_as_an_error() -> None:
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_client_error("invoke_model", "ThrottlingException", "Too many requests", 429)
        with pytest.raises(client.exceptions.ThrottlingException):
            BedrockTitanEmbedder(client).embed(["hello"])


def test_wrong_vector_size_is_refused() -> None:
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response("invoke_model", titan_response([1.0, 0.0]))
        with pytest.raises(ValueError, match="shape"):
            BedrockTitanEmbedder(client, dimension=512).embed(["hello"])
    with pytest.raises(ValueError, match="dimension"):
        BedrockTitanEmbedder(client, dimension=300)
