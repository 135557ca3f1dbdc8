-- The loaded cases as training texts for a category classifier: content and category, in case
-- id order.
SELECT coalesce(content, '') AS content, coalesce(trim(category), '') AS category
FROM cases
ORDER BY case_id
