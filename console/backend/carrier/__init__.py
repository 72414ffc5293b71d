"""Carriers: how outbound SMS leave and delivery statuses come back."""
