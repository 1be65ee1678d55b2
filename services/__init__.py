"""What both faces call: the resource engine, the declarations and the domain operations."""
