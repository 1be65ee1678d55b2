"""Declarations of service categories, services, holidays and delivery tiers."""
