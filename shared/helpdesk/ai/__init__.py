"""Intent detection and grounded answers (RAG) behind an LLM port: Claude when configured, offline otherwise."""
