"""Amazon Bedrock Titan Text Embeddings v2 through boto3 `bedrock-runtime`: the Embedder in AWS.

Titan v2's InvokeModel takes one text per call, so a batch is a loop of calls (a small thread pool
would only help throughput, not cost; Lambda batches are small). We ask Bedrock to normalise and
still re-normalise, so cosine equals the dot product whatever the service returns.
"""

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

TITAN_V2_MODEL_ID = "amazon.titan-embed-text-v2:0"
TITAN_V2_DIMENSIONS = (256, 512, 1024)
MAX_INPUT_CHARS = 50_000  # Titan v2 rejects longer inputs; chunks are far smaller, queries are capped upstream


class BedrockTitanEmbedder:
    """Implements `helpdesk.tickets.ports.Embedder` over `bedrock-runtime.invoke_model`."""

    def __init__(self, client: Any = None, *, model_id: str = TITAN_V2_MODEL_ID, dimension: int = 1024) -> None:
        if dimension not in TITAN_V2_DIMENSIONS:
            raise ValueError(f"Titan v2 dimension must be one of {TITAN_V2_DIMENSIONS}")
        if client is None:
            import boto3
            from botocore.config import Config

            # One embedding answers in tens of milliseconds: botocore's 60 s read timeout would let a hung
            # endpoint hold a chat turn (and its retries) far past its budget.
            client = boto3.client("bedrock-runtime", config=Config(
                connect_timeout=1, read_timeout=3, retries={"max_attempts": 3, "mode": "standard"}))
        self._client = client
        self.model_id = model_id
        self.dimension = dimension

    def embed(self, texts: Sequence[str]) -> "NDArray[np.float32]":
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            # Titan rejects an empty inputText; an empty text has no meaning, so it keeps the zero vector.
            if not text.strip():
                continue
            body = {"inputText": text[:MAX_INPUT_CHARS], "dimensions": self.dimension, "normalize": True}
            response = self._client.invoke_model(
                modelId=self.model_id, contentType="application/json", accept="application/json",
                body=json.dumps(body),
            )
            payload = json.loads(response["body"].read())
            vector = np.asarray(payload["embedding"], dtype=np.float32)
            if vector.shape != (self.dimension,):
                raise ValueError(f"Bedrock returned a vector of shape {vector.shape}, expected ({self.dimension},)")
            norm = float(np.linalg.norm(vector))
            out[row] = vector / norm if norm > 0 else vector
        return out
