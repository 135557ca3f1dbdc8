-- Contacts without a case id, links made, contacts with several candidates, contacts with one
-- (those not linked were capped), contacts with none (their person has no case in the window,
-- or is unknown: no id number, name or phone that identifies one).
SELECT count(*), (SELECT count(*) FROM contact_links),
  count(*) FILTER (WHERE candidates > 1), count(*) FILTER (WHERE candidates = 1),
  count(*) FILTER (WHERE candidates = 0)
FROM {{.link_candidates}}
