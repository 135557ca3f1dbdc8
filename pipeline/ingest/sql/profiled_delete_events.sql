-- The events a profiled file replaces: each case's accepted and closed events.
DELETE FROM {{.events}} WHERE event_id IN (
  SELECT case_id || ':accepted' FROM {{.stage_src}} UNION ALL SELECT case_id || ':closed' FROM {{.stage_src}})
