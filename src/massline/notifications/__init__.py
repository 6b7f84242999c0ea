"""Notifications: who hears about each step of an appeal, through which channel, and the outbox that delivers
it at least once and never twice (docs/notifications.md)."""
