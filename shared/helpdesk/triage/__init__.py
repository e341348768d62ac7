"""Triage of every new ticket, agent assist, and the knowledge loop (draft articles from resolved tickets).

- `events.process_stream_event`: the tickets-table stream (intent_rag Lambda in AWS, a poller locally).
  INSERT -> `service.Triage.run`; MODIFY to resolved -> `knowledge_loop.KnowledgeLoop.on_resolved`.
- `service.Triage`: computes summary, intent/category, sentiment, language, priority, routing group,
  similar open tickets and a cited reply draft (each with confidence, level and method), stores the
  record (Meta table), then applies what the tenant's `settings.TriageSettings` auto-apply, as actor `ai`;
  accept / reject / revert / redraft for the agent assist API (functions/agent_assist).
- Embedded methods everywhere (`signals`, `priority`, `replies.TemplateReplyWriter`, and the intents of
  `helpdesk.intents.model.TRIAGE_CATALOG` from `helpdesk.intents.classifier.NearestExampleIntentClassifier`);
  with a configured LLM (`helpdesk.assistant.ports.LlmPort`) intents come from `llm_classifier.LlmIntentClassifier`
  and reply drafts from `replies.LlmReplyWriter`.
"""
