"""Site: the public pages as plain Markdown, the MkDocs adapter, and the export for other engines."""
