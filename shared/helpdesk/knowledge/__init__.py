"""Knowledge base: articles (source of truth in DynamoDB), chunking, indexing and hybrid retrieval."""
