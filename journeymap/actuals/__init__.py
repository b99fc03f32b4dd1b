"""Reading what a CRM says happened: tables (CSV, TSV, xlsx), column roles, values, stage matching,
event logs and stage-count tables. `reading.read_actuals` is the entry point; `types` is the leaf
every other module here builds on."""
