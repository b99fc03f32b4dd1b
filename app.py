"""journeymap — the Streamlit entry of a source checkout (`streamlit run app.py`).

The app lives in the package (`journeymap/ui/main.py`), so that it also runs from an installed
package: `journeymap app`.
"""

from journeymap.ui.main import run

run()
