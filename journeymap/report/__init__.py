"""A comparison for people and programs: JSON, the terminal table, the HTML report, SVG charts."""
