-- The loaded cases' texts, for learning the office's place names (earlywarn learn-places), in
-- case id order.
SELECT content
FROM cases
WHERE content IS NOT NULL AND trim(content) <> ''
ORDER BY case_id
