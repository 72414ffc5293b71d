"""HTTP routes, one module per resource; thin: parse, check access, call `ops`, render."""
