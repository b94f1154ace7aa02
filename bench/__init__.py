"""`make bench`: seed a large registry in its own database and time the registry pages."""
