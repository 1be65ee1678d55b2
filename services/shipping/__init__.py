"""Shipping: where parcels leave from, courier tariffs through the shipping gateway, and the
same-day courier priced by distance through the delivery tiers."""
