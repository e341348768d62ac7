"""Triggers: the tenant's rules that change a ticket when something happens to it ("a customer replied to a ticket
tagged vip: priority urgent", "pending: tag waiting", "the SLA was breached: move it to Escalations"), as Zendesk's
triggers, Zammad's triggers and FreeScout's workflows do. They run in the change's own write (`TriggerHook`, a
ticket hook), in order, each once; routing rules (`triage`) are the rules for new tickets."""
