"""Plan against actuals: the funnel (`funnel.compare`), per-deal facts (`deals`), and the details
built on them (`details`: drop reasons, breakdowns, cohorts, KGIs, cost, forecast)."""
