"""Treatments: service categories, services with pictures, holidays, delivery tiers."""
