"""The app's pages: thin scripts of widgets that call the library and the panels."""
