-- Contacts without a case id, links made, contacts with several candidates, contacts with one
-- (those not linked were capped).
SELECT count(*), (SELECT count(*) FROM contact_links),
  count(*) FILTER (WHERE candidates > 1), count(*) FILTER (WHERE candidates = 1)
FROM {{.link_candidates}}
