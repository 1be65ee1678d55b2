"""Payments: starting a Midtrans payment at checkout and receiving its notifications."""
