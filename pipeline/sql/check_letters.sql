-- Input check of a copied-letters rule (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date: how many in all, how many came through the
-- rule's channels, how many of those have $min_chars letters or more once reduced to their
-- letters as the rule reduces them (table case_letters, which holds the letters it compares:
-- the run has reduced every text of the rule's channels and period before screening, and
-- holds none for a case without text), and how many of those share the commonest text.
WITH period AS (
  SELECT list_contains(CAST($channels AS VARCHAR[]), s.channel) AS of_channels,
         l.letters_len >= CAST($min_chars AS INTEGER) AS letter, l.h
  FROM {{.case_state}} s LEFT JOIN case_letters l ON l.case_id = s.case_id
  WHERE s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
texts AS (
  SELECT of_channels, letter, count(*) AS n
  FROM (SELECT of_channels, of_channels AND coalesce(letter, false) AS letter, h FROM period)
  GROUP BY of_channels, letter, CASE WHEN letter THEN h END
)
SELECT coalesce(sum(n), 0) AS cases,
       coalesce(sum(n) FILTER (WHERE of_channels), 0) AS of_channels,
       coalesce(sum(n) FILTER (WHERE letter), 0) AS letters,
       coalesce(max(n) FILTER (WHERE letter), 0) AS commonest
FROM texts
