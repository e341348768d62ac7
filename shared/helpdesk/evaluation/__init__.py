"""Every AI figure in one run (`helpdesk ai eval`): intents, retrieval, chat answers, knowledge coverage."""
