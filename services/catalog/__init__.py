"""The catalog: product categories, products with their pictures, promotions."""
