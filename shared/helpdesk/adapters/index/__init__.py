"""KnowledgeIndex adapters: the embedded numpy + BM25 index (local stack, tests) and OpenSearch (AWS)."""
