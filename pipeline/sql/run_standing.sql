-- The latest stored run, when its results still stand: it screened as of $as_of with the same
-- basis ($basis: the config's behaviour, the program and the publish settings; see runBasis),
-- and nobody has acted in review since it started (an action other than those in $inert, which
-- change no matter: signing in or out, starting a run; an owner's change, a progress note, a
-- supervision or a dismissal). No row otherwise. The caller checks that nothing was
-- loaded, classified or read for places since.
WITH latest AS (SELECT * FROM runs ORDER BY finished_at DESC, run_id DESC LIMIT 1)
SELECT run_id FROM latest
WHERE as_of = CAST($as_of AS DATE)
  AND json_extract_string(record, '$.basis') = $basis
  AND NOT EXISTS (SELECT 1 FROM audit_log WHERE acted_at >= latest.started_at AND NOT list_contains(CAST($inert AS VARCHAR[]), action))
  AND NOT EXISTS (SELECT 1 FROM matter_review WHERE updated_at >= latest.started_at)
  AND NOT EXISTS (SELECT 1 FROM progress_notes WHERE noted_at >= latest.started_at)
  AND NOT EXISTS (SELECT 1 FROM supervisions WHERE supervised_at >= latest.started_at)
  AND NOT EXISTS (SELECT 1 FROM dismissals WHERE dismissed_at >= latest.started_at)
