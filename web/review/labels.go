// Package review is the leaders' side of the watchlist: labels shared by the report, the Excel
// export and the review app, the review tables (ownership, progress notes, audit log) and the
// reads and writes on them. It does not import the pipeline; the pipeline calls into it.
package review

// Languages of every label; zh is the default.
const (
	LangZH = "zh"
	LangEN = "en"
)

// Tiers in order of urgency.
var Tiers = []string{"red", "orange", "yellow"}

var labels = map[string]map[string]string{
	LangZH: {
		"red": "红", "orange": "橙", "yellow": "黄", "case": "信访件", "cluster": "事项群",
		"repeat_visits": "重复访", "group_signal": "群体访", "stalled_case": "积案",
		"repeat": "重复访", "group": "群体访", "stalled": "积案",
		"open": "待认领", "owned": "包案办理中", "resolved": "已化解", "dismissed": "已排除",
		"letter": "来信", "visit": "来访", "online": "网上", "phone": "电话",
		"county": "县级", "city": "市级", "province": "省级", "national": "国家级",
		"accepted": "受理", "assigned": "交办", "extended": "延期", "answered": "答复",
		"review_requested": "申请复查", "reviewed": "复查", "rereview_requested": "申请复核",
		"rereviewed": "复核", "terminated": "终结", "closed": "办结", "reopened": "重新办理",
		"analyst": "分析员", "leader": "领导", "admin": "管理员",
	},
	LangEN: {
		"red": "red", "orange": "orange", "yellow": "yellow", "case": "case", "cluster": "cluster",
		"repeat_visits": "repeat visits", "group_signal": "group petition", "stalled_case": "stalled case",
		"repeat": "repeat visits", "group": "group petition", "stalled": "stalled case",
		"open": "unowned", "owned": "owned", "resolved": "resolved", "dismissed": "dismissed",
		"letter": "letter", "visit": "visit", "online": "online", "phone": "phone",
		"county": "county", "city": "city", "province": "province", "national": "national",
		"accepted": "accepted", "assigned": "assigned", "extended": "extended", "answered": "answered",
		"review_requested": "review requested", "reviewed": "reviewed", "rereview_requested": "re-review requested",
		"rereviewed": "re-reviewed", "terminated": "terminated", "closed": "closed", "reopened": "reopened",
		"analyst": "analyst", "leader": "leader", "admin": "admin",
	},
}

// Label gives the display name of a code (tier, kind, family, state, channel, level, event
// type, role) in lang; an unknown code is shown as it is.
func Label(lang, code string) string {
	if l, ok := labels[lang][code]; ok {
		return l
	}
	return code
}

// Lang returns lang if it is supported, else LangZH.
func Lang(lang string) string {
	if lang == LangEN {
		return LangEN
	}
	return LangZH
}
