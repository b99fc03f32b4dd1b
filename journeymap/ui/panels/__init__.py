"""Parts of pages too large for the page script: editors, result sections, slides, downloads."""
