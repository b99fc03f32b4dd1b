"""Saved designs in a folder: the store with history and optimistic versions, drafts, the trash."""
