"""Outgoing e-mail: transports (outbox folder or SMTP) and the messages Tandem sends."""
