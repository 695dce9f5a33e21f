"""Pages of the movement book, split by topic (see the modules)."""
