"""Notifications for group-message recipients: email over SMTP, push through a webhook."""
