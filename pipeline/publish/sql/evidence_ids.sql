-- The ids in run $1's watchlist: the lengths of its matters' case, contact and event id lists,
-- summed (0 when it is empty). Publishing decides from it whether its lanes fit its memory side
-- by side.
SELECT coalesce(sum(len(case_ids) + len(contact_ids) + len(event_ids)), 0) FROM watchlist WHERE run_id = $1
