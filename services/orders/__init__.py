"""Orders: carts, checkout, the order machine, money and invoices."""
