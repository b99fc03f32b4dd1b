from journeymap.cli.main import run

run()
