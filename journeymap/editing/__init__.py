"""Edit operations the app applies to a design: pure functions that return a validated design
(`operations`), and the table rows the editor shows and reads back (`tables`)."""
