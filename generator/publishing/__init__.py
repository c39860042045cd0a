"""Publishing: what changes between two git versions of the content, and scaffolding new files."""
