package rules

// Built-in reason templates, used when a rule's config leaves reason.zh or reason.en empty.
var (
	repeatReason = Reason{
		ZH: `近{{.window_days}}天内就同一事项来信来访{{.contacts}}次（阈值{{.min_contacts}}次），涉及{{.persons}}人，首次{{.first_contact}}，最近{{.last_contact}}{{if gt .levels_climbed 0}}，已越级至{{label .top_level}}{{end}}；当前{{label .stage}}。`,
		EN: `{{.contacts}} contacts about this matter within {{.window_days}} days (threshold {{.min_contacts}}) from {{.persons}} person(s), first on {{.first_contact}}, latest on {{.last_contact}}{{if gt .levels_climbed 0}}; escalated to {{label .top_level}} level{{end}}; now {{label .stage}}.`,
	}
	headCountReason = Reason{
		ZH: `{{.first_date}}出现{{.people}}人集体访（阈值{{.min_people}}人）{{if gt .contacts 1}}，此类来访共{{.contacts}}次，最近{{.last_date}}{{end}}；当前{{label .stage}}。`,
		EN: `A group of {{.people}} people contacted the office on {{.first_date}} (threshold {{.min_people}}){{if gt .contacts 1}}, {{.contacts}} such contacts, latest on {{.last_date}}{{end}}; now {{label .stage}}.`,
	}
	waveReason = Reason{
		ZH: `{{.from}}至{{.to}}，{{.group}}有{{.complainants}}名不同信访人集中反映（{{.window_days}}天内阈值{{.min_complainants}}人），涉及{{.cases}}件。`,
		EN: `{{.complainants}} different complainants about {{.group}} between {{.from}} and {{.to}} (threshold {{.min_complainants}} within {{.window_days}} days), {{.cases}} cases.`,
	}
	copiedReason = Reason{
		ZH: `{{.from}}至{{.to}}收到{{.complainants}}名不同信访人内容相同的来信{{.letters}}件（{{.township}}，{{.category}}），疑为联名信或串联信。`,
		EN: `{{.letters}} letters with the same text from {{.complainants}} different complainants between {{.from}} and {{.to}} ({{.township}}, {{.category}}): a likely joint or copied letter.`,
	}
	higherLevelReason = Reason{
		ZH: `{{label .handling_level}}办理中的事项，{{.first_contact}}以来{{.contacts}}次越级到{{label .top_level}}（高出{{.levels_above}}级），最近{{.last_contact}}；当前{{label .stage}}。`,
		EN: `{{.contacts}} contact(s) since {{.first_contact}} went over the handling {{label .handling_level}} level to {{label .top_level}} level ({{.levels_above}} level(s) up), latest on {{.last_contact}}; now {{label .stage}}.`,
	}
	continuedReason = Reason{
		ZH: `{{.answered_on}}{{label .answer_type}}后仍有{{.persons}}人来信来访{{.contacts}}次（阈值{{.min_contacts}}次），最近{{.last_contact}}；当前{{label .stage}}。`,
		EN: `{{.contacts}} contact(s) from {{.persons}} person(s) after the matter was {{label .answer_type}} on {{.answered_on}} (threshold {{.min_contacts}}), latest on {{.last_contact}}; now {{label .stage}}.`,
	}
	baselineReason = Reason{
		ZH: `{{.from}}至{{.to}}，{{.group}}的不同信访人明显多于往常：近{{.window_days}}天{{.observed}}人次，按此前{{.baseline_days}}天的基线预期约{{.expected}}人次；共涉及{{.complainants}}人、{{.cases}}件。`,
		EN: `More complainants than usual about {{.group}} between {{.from}} and {{.to}}: {{.observed}} in {{.window_days}} days against about {{.expected}} expected from the previous {{.baseline_days}} days; {{.complainants}} people, {{.cases}} cases.`,
	}
	copiedSimilarReason = Reason{
		ZH: `{{.from}}至{{.to}}收到{{.complainants}}名不同信访人内容高度相似的来信{{.letters}}件（{{.township}}，{{.category}}，两两文字相似度最低{{.similarity}}），疑为联名信或串联信。`,
		EN: `{{.letters}} letters with near-identical text (lowest pairwise similarity {{.similarity}}) from {{.complainants}} different complainants between {{.from}} and {{.to}} ({{.township}}, {{.category}}): a likely joint or copied letter.`,
	}
	overdueReason = Reason{
		ZH: `当前{{label .stage}}，已超过期限（{{.deadline}}）{{.days_overdue}}天；{{.received}}收件。`,
		EN: `{{.days_overdue}} days past the deadline of {{.deadline}} while {{label .stage}}; received {{.received}}.`,
	}
	noProgressReason = Reason{
		ZH: `已{{.days_since_progress}}天无实质进展（最近一次：{{.last_progress}}{{label .last_progress_type}}），当前{{label .stage}}。`,
		EN: `No progress for {{.days_since_progress}} days (last: {{label .last_progress_type}} on {{.last_progress}}); now {{label .stage}}.`,
	}
	extensionsReason = Reason{
		ZH: `办理期限已延期{{.extensions}}次仍未办结，当前期限{{.deadline}}。`,
		EN: `Handling deadline extended {{.extensions}} times and still open; current deadline {{.deadline}}.`,
	}
)
