-- group_signal copied_letters, both methods: the CTE most, each episode's township and category,
-- those of most of its letters (ties by name) among the letters that name one, with how many
-- there are (copies can come from several), and its channel: that of all its letters, or
-- 'mixed' (the reason says letters, online messages or both). The episode is keyed by the
-- columns given to the template; its letters are the CTE members.
{{define "copied_most"}}most AS (
  SELECT {{.}},
         arg_max(township, (nt, township)) FILTER (WHERE township IS NOT NULL) AS township, count(DISTINCT township) AS townships,
         arg_max(category, (nc, category)) FILTER (WHERE category IS NOT NULL) AS category, count(DISTINCT category) AS categories,
         CASE WHEN count(DISTINCT channel) = 1 THEN any_value(channel) ELSE 'mixed' END AS channel
  FROM (SELECT {{.}}, township, category, channel,
               count(*) OVER (PARTITION BY {{.}}, township) AS nt,
               count(*) OVER (PARTITION BY {{.}}, category) AS nc
        FROM members)
  GROUP BY ALL
){{end}}
