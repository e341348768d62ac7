"""Embedder adapters: MiniLM on onnxruntime (embedded) and Amazon Bedrock Titan Text Embeddings v2."""
