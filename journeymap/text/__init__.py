"""Words and numbers shown to people: the ja/en catalogue, the number formatter, text widths."""
