-- The reduced texts that no longer stand for their case's text: changed, gone, or of a case no
-- longer on record.
DELETE FROM case_letters l
WHERE NOT EXISTS (SELECT 1 FROM cases c
                  WHERE c.case_id = l.case_id AND c.content IS NOT NULL AND hash(c.content) = l.content_hash)
