"""Dialogs: each takes the service call it needs as an injected callable."""
