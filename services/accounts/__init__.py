"""Accounts: users, roles, departments, tokens and passwords, the audit log."""
