package web

import "github.com/earlywarn/earlywarn/web/review"

// texts are the app's words in each language.
var texts = map[string]map[string]string{
	review.LangZH: {
		"app": "信访预警 · 领导审阅", "watchlist": "预警清单", "audit": "操作日志", "signOut": "退出", "signIn": "登录",
		"user": "用户名", "password": "密码", "runNow": "立即筛查", "asOf": "数据截至", "run": "运行编号",
		"tier": "等级", "township": "乡镇街道", "category": "问题类别", "rule": "命中规则", "state": "办理状态",
		"all": "全部", "filter": "筛选", "rank": "序号", "matter": "事项", "kind": "类型", "score": "分值",
		"reason": "预警原因", "owner": "包案领导", "due": "完成时限", "unit": "责任单位", "total": "共 %d 项，第 %d/%d 页",
		"prev": "上一页", "next": "下一页", "evidence": "证据时间线", "cases": "涉及信访件", "cluster": "事项群成员（集中/雷同来信）",
		"complainant": "信访人（化名编号）", "received": "收件", "contact": "来信来访", "event": "办理环节",
		"content": "内容", "flags": "预警规则", "review": "包案办理", "plan": "化解方案", "progress": "进展记录",
		"take": "认领包案", "setPlan": "保存方案", "addProgress": "记录进展", "resolve": "化解办结", "dismiss": "排除（不再预警）",
		"dismissReason": "排除理由", "note": "说明", "when": "时间", "who": "操作人", "action": "操作", "before": "操作前", "after": "操作后",
		"notLatest": "该事项不在最新一次运行的预警清单中；显示的是 %s 运行中的记录。", "more": "另有 %d 条未显示。",
		"people": "人数", "noItems": "没有符合条件的事项。", "version": "版本", "expired": "会话已过期，请重新登录。",
		"signedOut": "已退出。", "badLogin": "用户名或密码错误。", "role": "角色", "firstFlagged": "首次预警",
		"done.take_ownership": "已认领包案。", "done.set_plan": "方案已保存。", "done.record_progress": "进展已记录。",
		"done.resolve": "已标记化解办结。", "done.dismiss": "已排除；该事项在明显恶化前不再列入预警清单。", "done.run": "筛查已完成。",
		"pseudonymNote": "信访人仅以化名编号显示。", "noRun": "数据库中还没有运行记录：请先运行夜间筛查。",
	},
	review.LangEN: {
		"app": "Early warning · leaders' review", "watchlist": "Watchlist", "audit": "Audit log", "signOut": "Sign out", "signIn": "Sign in",
		"user": "User", "password": "Password", "runNow": "Run screening now", "asOf": "Data as of", "run": "Run",
		"tier": "Tier", "township": "Township", "category": "Category", "rule": "Rule", "state": "State",
		"all": "all", "filter": "Filter", "rank": "Rank", "matter": "Matter", "kind": "Kind", "score": "Score",
		"reason": "Reason", "owner": "Owner", "due": "Due", "unit": "Responsible unit", "total": "%d matters, page %d of %d",
		"prev": "Previous", "next": "Next", "evidence": "Evidence timeline", "cases": "Cases", "cluster": "Cluster members (group or copied letters)",
		"complainant": "Complainant (pseudonym)", "received": "received", "contact": "contact", "event": "event",
		"content": "Content", "flags": "Flags", "review": "Ownership", "plan": "Plan", "progress": "Progress",
		"take": "Take ownership", "setPlan": "Save plan", "addProgress": "Record progress", "resolve": "Resolve", "dismiss": "Dismiss (stop flagging)",
		"dismissReason": "Reason for dismissal", "note": "Note", "when": "When", "who": "Who", "action": "Action", "before": "Before", "after": "After",
		"notLatest": "This matter is not on the latest watchlist; showing it as in run %s.", "more": "%d more not shown.",
		"people": "People", "noItems": "No matters match.", "version": "version", "expired": "Your session expired; sign in again.",
		"signedOut": "Signed out.", "badLogin": "Wrong user name or password.", "role": "Role", "firstFlagged": "First flagged",
		"done.take_ownership": "You own this matter now.", "done.set_plan": "Plan saved.", "done.record_progress": "Progress recorded.",
		"done.resolve": "Marked resolved.", "done.dismiss": "Dismissed; it stays off the watchlist until it gets materially worse.", "done.run": "Screening finished.",
		"pseudonymNote": "Complainants appear only as pseudonymous ids.", "noRun": "The database holds no run yet: run the nightly screening first.",
	},
}
