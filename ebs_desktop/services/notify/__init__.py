"""Notifications: what customers are told (content), and the outbox's senders."""
