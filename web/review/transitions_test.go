package review_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web/review"
)

var (
	office  = review.Actor{Name: "office1", Role: review.RoleOffice}
	admin   = review.Actor{Name: "admin1", Role: review.RoleAdmin}
	leader  = review.Actor{Name: "leader1", Role: review.RoleLeader}
	leader2 = review.Actor{Name: "leader2", Role: review.RoleLeader}
	analyst = review.Actor{Name: "analyst1", Role: review.RoleAnalyst}
)

// fixture is a store on a database a real run made, with a settable clock.
type fixture struct {
	t       *testing.T
	st      *review.Store
	now     time.Time
	matters []string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cfg := pipelinetest.Config(t)
	s := pipelinetest.Run(t, cfg)
	db := pipelinetest.Open(t, cfg)
	st, err := review.NewStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, st: st, now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	st.Now = func() time.Time { return f.now }
	st.Location = time.FixedZone("CST", 8*3600)
	st.Reasons = []string{"重复件", "其他"}
	st.IsLeader = func(name string) bool { return strings.HasPrefix(name, "leader") }
	rows, err := db.Query(`SELECT matter_id FROM watchlist WHERE run_id = $1 ORDER BY rank`, s.RunID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		rows.Scan(&id)
		f.matters = append(f.matters, id)
	}
	return f
}

// do applies c as a at the matter's current version.
func (f *fixture) do(a review.Actor, id string, c review.Change) (review.State, error) {
	f.t.Helper()
	cur, err := review.Load(context.Background(), f.st.DB(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	c.Version = cur.Version
	return f.st.Apply(context.Background(), a, id, c)
}

func (f *fixture) must(a review.Actor, id string, c review.Change) review.State {
	f.t.Helper()
	st, err := f.do(a, id, c)
	if err != nil {
		f.t.Fatalf("%s by %s: %v", c.Action, a.Name, err)
	}
	return st
}

// refused checks that c is refused with kind and a Chinese message containing want.
func (f *fixture) refused(a review.Actor, id string, c review.Change, kind error, want string) {
	f.t.Helper()
	_, err := f.do(a, id, c)
	if !errors.Is(err, kind) {
		f.t.Errorf("%s by %s: %v, want %v", c.Action, a.Name, err, kind)
		return
	}
	if msg := i18n.Localize("zh", err); !strings.Contains(msg, want) {
		f.t.Errorf("%s by %s: %q, want it to say %q", c.Action, a.Name, msg, want)
	}
}

func TestOfficeAssignsAndLeadersOwn(t *testing.T) {
	f := newFixture(t)
	id := f.matters[0]
	assign := review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2026-03-08"}

	f.refused(leader, id, assign, review.ErrForbidden, "只有信访办或管理员")
	f.refused(office, id, review.Change{Action: review.ActTake}, review.ErrForbidden, "请用“交办”")
	f.refused(admin, id, review.Change{Action: review.ActTake}, review.ErrForbidden, "请用“交办”")
	f.refused(office, id, review.Change{Action: review.ActAssign, Owner: "office1", Due: "2026-03-08"}, review.ErrInvalid, "不是领导用户")
	f.refused(office, id, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2026-02-28"}, review.ErrInvalid, "早于今天（2026-03-01）")
	f.refused(office, id, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2028-03-02"}, review.ErrInvalid, "请填写 2028-03-01 或之前的日期")
	f.refused(office, id, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "soon"}, review.ErrInvalid, "年-月-日")

	st := f.must(office, id, assign)
	if st.State != review.StateOwned || st.Owner != "leader1" || st.AssignedBy != "office1" || st.PlanDeadline != "2026-03-08" || st.TakenAt == nil {
		t.Errorf("after assignment: %+v", st)
	}
	f.refused(office, id, assign, review.ErrState, "leader1 已包案此事项")
	f.refused(leader2, id, review.Change{Action: review.ActTake}, review.ErrState, "leader1 已认领")

	// Reassign: a reason and another leader; the plan deadline stays unless given.
	f.refused(office, id, review.Change{Action: review.ActReassign, Owner: "leader2"}, review.ErrInvalid, "请填写理由")
	f.refused(office, id, review.Change{Action: review.ActReassign, Owner: "leader1", Note: "换人"}, review.ErrInvalid, "leader1 已是")
	f.refused(leader, id, review.Change{Action: review.ActReassign, Owner: "leader2", Note: "换人"}, review.ErrForbidden, "只有信访办")
	st = f.must(admin, id, review.Change{Action: review.ActReassign, Owner: "leader2", Note: "属地调整"})
	if st.Owner != "leader2" || st.AssignedBy != "admin1" || st.PlanDeadline != "2026-03-08" || st.Note != "属地调整" {
		t.Errorf("after reassignment: %+v", st)
	}

	// Release: back to open, nobody's.
	f.refused(office, id, review.Change{Action: review.ActRelease}, review.ErrInvalid, "请填写理由")
	st = f.must(office, id, review.Change{Action: review.ActRelease, Note: "交责任单位办理"})
	if st.State != review.StateOpen || st.Owner != "" || st.AssignedBy != "" || st.TakenAt != nil {
		t.Errorf("after release: %+v", st)
	}
	f.refused(office, id, review.Change{Action: review.ActRelease, Note: "再撤"}, review.ErrState, "只有包案办理中的事项可以撤回")

	// A leader still volunteers.
	st = f.must(leader, id, review.Change{Action: review.ActTake})
	if st.Owner != "leader1" || st.AssignedBy != "" {
		t.Errorf("after volunteering: %+v", st)
	}

	// Every step is in the audit log with before and after.
	entries, err := review.AuditLog(context.Background(), f.st.DB(), id, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		if e.Before == "" || e.After == "" {
			t.Errorf("%s: before %q after %q", e.Action, e.Before, e.After)
		}
	}
	slices.Reverse(actions)
	if got := strings.Join(actions, ","); got != "assign,reassign,release,take_ownership" {
		t.Errorf("audit log: %s", got)
	}
}

func TestResolutionReturnVisitAndReopening(t *testing.T) {
	f := newFixture(t)
	id := f.matters[0]
	f.must(office, id, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2026-03-08"})
	f.refused(leader, id, review.Change{Action: review.ActResolve, Note: "已答复"}, review.ErrState, "须先制定化解方案")
	f.refused(leader, id, review.Change{Action: review.ActPlan, Plan: "约谈", Due: "2020-01-01"}, review.ErrInvalid, "完成时限 2020-01-01 早于今天")
	f.refused(office, id, review.Change{Action: review.ActPlan, Plan: "约谈", Due: "2026-04-30"}, review.ErrForbidden, "只有包案领导（leader1）")
	f.must(leader, id, review.Change{Action: review.ActPlan, Plan: "约谈", Due: "2026-04-30"})
	f.refused(leader, id, review.Change{Action: review.ActResolve, Note: " "}, review.ErrInvalid, "化解说明")
	f.refused(office, id, review.Change{Action: review.ActVisit, Satisfaction: review.Satisfied, Note: "好"}, review.ErrState, "只有已化解的事项可以回访")

	// Supervision on an owned matter, by the office, with a deadline.
	f.refused(leader, id, review.Change{Action: review.ActSupervise, Note: "抓紧", Due: "2026-03-10"}, review.ErrForbidden, "只有信访办")
	f.refused(office, id, review.Change{Action: review.ActSupervise, Note: "抓紧", Due: "2026-02-10"}, review.ErrInvalid, "督办期限 2026-02-10 早于今天")
	st := f.must(office, id, review.Change{Action: review.ActSupervise, Note: "请本周约谈", Due: "2026-03-10"})
	if st.Supervision == nil || st.Supervision.Deadline != "2026-03-10" || st.Supervision.By != "office1" {
		t.Errorf("after supervision: %+v", st.Supervision)
	}

	f.must(leader, id, review.Change{Action: review.ActResolve, Note: "已签协议"})
	f.refused(office, id, review.Change{Action: review.ActSupervise, Note: "抓紧", Due: "2026-03-10"}, review.ErrState, "只有包案办理中的事项可以督办")
	f.refused(office, id, review.Change{Action: review.ActVisit, Satisfaction: "happy", Note: "好"}, review.ErrInvalid, "满意度")
	st = f.must(office, id, review.Change{Action: review.ActVisit, Satisfaction: review.Mostly, Note: "基本认可"})
	if st.State != review.StateResolved || st.Satisfaction != review.Mostly || st.VisitedBy != "office1" || st.ReopenedAt != nil {
		t.Errorf("after a mostly satisfied visit: %+v", st)
	}
	f.now = f.now.Add(24 * time.Hour)
	st = f.must(office, id, review.Change{Action: review.ActVisit, Satisfaction: review.Unsatisfied, Note: "补偿未到位"})
	if st.State != review.StateOwned || st.Owner != "leader1" || st.ResolvedAt != nil || st.ReopenedAt == nil || st.Plan != "约谈" {
		t.Errorf("after an unsatisfied visit: %+v", st)
	}
	loaded, err := review.Load(context.Background(), f.st.DB(), id)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.State != review.StateOwned || loaded.Satisfaction != review.Unsatisfied || loaded.VisitNote != "补偿未到位" || loaded.ReopenedAt == nil || loaded.Supervision == nil {
		t.Errorf("loaded after reopening: %+v", loaded)
	}
}

func TestDismissalReasonsAndUndoing(t *testing.T) {
	f := newFixture(t)
	id := f.matters[1]
	f.refused(leader, id, review.Change{Action: review.ActDismiss, Note: "随便"}, review.ErrInvalid, "不在配置的原因中")
	f.refused(leader, id, review.Change{Action: review.ActUndismiss, Note: "误"}, review.ErrState, "未被排除")
	st := f.must(leader, id, review.Change{Action: review.ActDismiss, Note: "重复件", Detail: "与另案重复"})
	if st.State != review.StateDismissed || st.Note != "重复件" || st.Detail != "与另案重复" {
		t.Errorf("after dismissal: %+v", st)
	}
	var note string
	if err := f.st.DB().QueryRow(`SELECT note FROM dismissals WHERE matter_id = $1`, id).Scan(&note); err != nil || note != "与另案重复" {
		t.Errorf("dismissal note %q (%v)", note, err)
	}
	f.refused(office, id, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2026-03-08"}, review.ErrState, "请先撤销排除")
	f.refused(analyst, id, review.Change{Action: review.ActUndismiss, Note: "误"}, review.ErrForbidden, "只有领导、信访办或管理员")
	f.refused(office, id, review.Change{Action: review.ActUndismiss}, review.ErrInvalid, "请填写理由")
	st = f.must(office, id, review.Change{Action: review.ActUndismiss, Note: "误排除"})
	if st.State != review.StateOpen || st.Owner != "" {
		t.Errorf("after undoing: %+v", st)
	}
	var lifted int
	if err := f.st.DB().QueryRow(`SELECT count(*) FROM dismissals WHERE matter_id = $1 AND lifted_at IS NOT NULL AND lifted_reason = '误排除'`, id).Scan(&lifted); err != nil || lifted != 1 {
		t.Errorf("lifted dismissals %d (%v)", lifted, err)
	}
	// Open again: it can be assigned.
	f.must(office, id, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2026-03-08"})
}

func TestReminders(t *testing.T) {
	f := newFixture(t)
	a, b, c, d := f.matters[0], f.matters[1], f.matters[2], f.matters[3]
	f.must(office, a, review.Change{Action: review.ActAssign, Owner: "leader1", Due: "2026-03-05"}) // plan deadline passes
	f.must(leader2, b, review.Change{Action: review.ActTake})                                       // no deadline: plan_days
	f.must(leader, c, review.Change{Action: review.ActTake})
	f.must(leader, c, review.Change{Action: review.ActPlan, Plan: "约谈", Due: "2026-03-20"})
	f.must(leader, d, review.Change{Action: review.ActTake})
	f.must(leader, d, review.Change{Action: review.ActPlan, Plan: "协调", Due: "2026-06-30"})
	f.must(office, d, review.Change{Action: review.ActSupervise, Note: "抓紧", Due: "2026-03-10"})
	clock := review.Clock{Location: time.FixedZone("CST", 8*3600), PlanDays: 7}

	at := func(day string) map[string][]string {
		t.Helper()
		now, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatal(err)
		}
		clock.Now = now.Add(2 * time.Hour)
		got, err := review.RemindersByMatter(context.Background(), f.st.DB(), clock)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := at("2026-03-05"); len(got) != 0 {
		t.Errorf("on the plan deadline: %v, want none", got)
	}
	got := at("2026-03-06")
	if !slices.Equal(got[a], []string{review.RemindNoPlan}) || got[b] != nil {
		t.Errorf("a day after the plan deadline: %v", got)
	}
	// Owned 7 days before today began (taken 03-01 09:00 UTC, 17:00 CST): no plan on 03-09.
	if got := at("2026-03-08"); got[b] != nil {
		t.Errorf("on 03-08 b is %v", got[b])
	}
	if got := at("2026-03-09"); !slices.Equal(got[b], []string{review.RemindNoPlan}) {
		t.Errorf("on 03-09 b is %v, want no plan", got[b])
	}
	// Supervision deadline passed with no note since: 督办逾期; a note clears it.
	if got := at("2026-03-11"); !slices.Equal(got[d], []string{review.RemindSupervision}) {
		t.Errorf("after the supervision deadline d is %v", got[d])
	}
	f.now = time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC)
	f.must(leader, d, review.Change{Action: review.ActProgress, Note: "已约谈"})
	if got := at("2026-03-11"); got[d] != nil {
		t.Errorf("after a progress note d is %v", got[d])
	}
	// Past its due date: 已逾期.
	if got := at("2026-03-21"); !slices.Contains(got[c], review.RemindOverdue) {
		t.Errorf("after its due date c is %v", got[c])
	}
	// Owned since before the day 30 days ago began, with no progress note since: 本月未报进展
	// (c, taken on 03-01, has none from 04-01; d's note of 03-09 counts until 04-08).
	if got := at("2026-03-31"); slices.Contains(got[c], review.RemindNoProgress) {
		t.Errorf("on 03-31 (owned 30 days) c is %v", got[c])
	}
	got = at("2026-04-01")
	if !slices.Contains(got[c], review.RemindNoProgress) || slices.Contains(got[d], review.RemindNoProgress) {
		t.Errorf("on 04-01: c %v, d %v", got[c], got[d])
	}
	if got := at("2026-04-09"); !slices.Contains(got[d], review.RemindNoProgress) {
		t.Errorf("on 04-09 d is %v", got[d])
	}

	// Per leader.
	clock.Now = time.Date(2026, 3, 21, 2, 0, 0, 0, time.UTC)
	counts, err := review.LeaderCounts(context.Background(), f.st.DB(), clock)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0].Owner != "leader1" || counts[0].Owned != 3 || counts[0].Overdue != 1 || counts[0].WithReminders != 2 ||
		counts[1].Owner != "leader2" || counts[1].Owned != 1 || counts[1].ByReminder[review.RemindNoPlan] != 1 {
		t.Errorf("leader counts: %+v", counts)
	}
}
