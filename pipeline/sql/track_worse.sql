-- Snippets worse_zh and worse_en: how the current item (cur) is materially worse than a
-- reference, the table alias given (the previous run's item or the dismissed one), listed in
-- Chinese or English; '' when it is not. Complainants and levels only count up; days past the
-- deadline count once newly overdue or $step days further.
{{define "worse_zh"}}concat_ws('；',
    CASE WHEN cur.complainants > {{.}}.complainants
      THEN '信访人由' || {{.}}.complainants || '人增至' || cur.complainants || '人' END,
    CASE WHEN coalesce({{level_rank "cur.top_level"}}, 0) > coalesce({{level_rank (printf "%s.top_level" .)}}, 0)
      THEN '越级至' || {{level_label "cur.top_level" "zh"}} END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce({{.}}.days_overdue, 0) = 0
              OR cur.days_overdue >= {{.}}.days_overdue + $step)
      THEN '超期' || cur.days_overdue || '天（此前' || coalesce({{.}}.days_overdue, 0) || '天）' END){{end}}
{{define "worse_en"}}concat_ws('; ',
    CASE WHEN cur.complainants > {{.}}.complainants
      THEN 'complainants up from ' || {{.}}.complainants || ' to ' || cur.complainants END,
    CASE WHEN coalesce({{level_rank "cur.top_level"}}, 0) > coalesce({{level_rank (printf "%s.top_level" .)}}, 0)
      THEN 'reached ' || {{level_label "cur.top_level" "en"}} || ' level' END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce({{.}}.days_overdue, 0) = 0
              OR cur.days_overdue >= {{.}}.days_overdue + $step)
      THEN cur.days_overdue || ' days overdue (was ' || coalesce({{.}}.days_overdue, 0) || ')' END){{end}}
