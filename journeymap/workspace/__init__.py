"""Saved designs in a folder: `facade.Workspace` over the store (history, optimistic versions), drafts and the trash."""
