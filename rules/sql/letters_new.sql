-- The texts not yet reduced that a copied_letters rule compares when screening as of a day
-- from $from to $to (on one of $channels, received in the $lookback_days days up to that day),
-- reduced.
INSERT INTO case_letters
SELECT case_id, hash(content), md5(lower(letters)), length(letters)
FROM (SELECT c.case_id, c.content, regexp_replace(c.content, '[^\p{L}]+', '', 'g') AS letters
      FROM cases c
      WHERE c.content IS NOT NULL
        AND list_contains(CAST($channels AS VARCHAR[]), c.channel)
        AND c.received_date > CAST($from AS DATE) - CAST($lookback_days AS INTEGER)
        AND c.received_date <= CAST($to AS DATE)
        AND NOT EXISTS (SELECT 1 FROM case_letters l WHERE l.case_id = c.case_id))
