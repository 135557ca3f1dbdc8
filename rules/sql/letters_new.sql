-- The texts not yet reduced, reduced.
INSERT INTO case_letters
SELECT case_id, hash(content), md5(lower(letters)), length(letters)
FROM (SELECT c.case_id, c.content, regexp_replace(c.content, '[^\p{L}]+', '', 'g') AS letters
      FROM cases c
      WHERE c.content IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_letters l WHERE l.case_id = c.case_id))
