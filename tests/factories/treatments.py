"""Factories of service categories, services, service images, holidays and delivery tiers."""
