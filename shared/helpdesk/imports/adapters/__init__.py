"""Where the history comes from: one adapter per helpdesk."""
