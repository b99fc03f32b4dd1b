"""The `journeymap` command line (`main`) and `journeymap app` (`app`)."""
