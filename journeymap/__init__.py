"""journeymap: design sales processes and customer journeys, set KPI/KGI targets, render them,
export them, and compare actual funnel data against the design."""

__version__ = "0.1.0"
