-- The run's watchlist as it is exported, in rank order, with reasons and change notes in the
-- output language.
CREATE OR REPLACE TEMP TABLE {{.export}} AS
SELECT rank, matter_id, matter_kind, tier, state, score, rules, {{.reason}} AS reason, {{.state_note}} AS state_note,
       responsible_unit, township, category, first_flagged, case_ids, contact_ids, event_ids
FROM watchlist WHERE run_id = $1 ORDER BY rank
