-- Snippets worse_zh and worse_en: how the current item (cur) is materially worse than a
-- reference, the table alias given (the previous run's item or the dismissed one), listed in
-- Chinese or English; '' when it is not. Complainants and levels only count up; days past the
-- deadline count once newly overdue or $step days further. The words come from the message
-- catalogue (track.*).
{{define "worse_zh"}}concat_ws({{text "zh" "track.separator"}},
    CASE WHEN cur.complainants > {{.}}.complainants
      THEN printf({{text "zh" "track.complainants_up"}}, {{.}}.complainants, cur.complainants) END,
    CASE WHEN coalesce({{level_rank "cur.top_level"}}, 0) > coalesce({{level_rank (printf "%s.top_level" .)}}, 0)
      THEN printf({{text "zh" "track.reached_level"}}, {{level_label "cur.top_level" "zh"}}) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce({{.}}.days_overdue, 0) = 0
              OR cur.days_overdue >= {{.}}.days_overdue + $step)
      THEN printf({{text "zh" "track.overdue_more"}}, cur.days_overdue, coalesce({{.}}.days_overdue, 0)) END){{end}}
{{define "worse_en"}}concat_ws({{text "en" "track.separator"}},
    CASE WHEN cur.complainants > {{.}}.complainants
      THEN printf({{text "en" "track.complainants_up"}}, {{.}}.complainants, cur.complainants) END,
    CASE WHEN coalesce({{level_rank "cur.top_level"}}, 0) > coalesce({{level_rank (printf "%s.top_level" .)}}, 0)
      THEN printf({{text "en" "track.reached_level"}}, {{level_label "cur.top_level" "en"}}) END,
    CASE WHEN cur.days_overdue > 0 AND (coalesce({{.}}.days_overdue, 0) = 0
              OR cur.days_overdue >= {{.}}.days_overdue + $step)
      THEN printf({{text "en" "track.overdue_more"}}, cur.days_overdue, coalesce({{.}}.days_overdue, 0)) END){{end}}
