-- The matters each family flagged each day, for the chart.
SELECT day, family, count(DISTINCT matter_id) FROM bt_flags GROUP BY ALL ORDER BY ALL
