"""Live preview: the in-memory site a save updates (state) and the localhost server that serves and reloads it."""
