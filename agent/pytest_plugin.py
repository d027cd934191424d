"""pytest plugin: the `ui` fixture and `expect` (filled in by the plugin work)."""
