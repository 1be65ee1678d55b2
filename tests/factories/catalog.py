"""Factories of menu categories, menus, menu images and promotions."""
