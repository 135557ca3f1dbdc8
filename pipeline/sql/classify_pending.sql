-- The next cases, after case id $after, that a category classifier has to classify: loaded
-- with the category empty or one of $unknown, and not classified yet (their found_in_text has
-- no category_model), with their content and what was found in their text; in case id order.
SELECT case_id, coalesce(content, '') AS content, coalesce(found_in_text, '') AS found_in_text
FROM cases
WHERE list_contains(CAST($unknown AS VARCHAR[]), coalesce(trim(category), ''))
  AND json_extract_string(found_in_text, '$.category_model') IS NULL
  AND case_id > $after
ORDER BY case_id
LIMIT $limit
