-- Matter-days: the open cases summed over the screened days.
SELECT coalesce(sum(open_cases), 0) FROM bt_population
