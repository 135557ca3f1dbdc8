package configs

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Serve configures `earlywarn serve`, the review app. Empty values take the defaults noted.
type Serve struct {
	Addr           string `mapstructure:"addr" json:"addr"`                       // listen address, default DefaultAddr
	SessionMinutes int    `mapstructure:"session_minutes" json:"session_minutes"` // idle minutes before a session expires, default DefaultSessionMinutes
	SecureCookies  bool   `mapstructure:"secure_cookies" json:"secure_cookies"`   // mark cookies Secure (behind HTTPS)
	RunAt          string `mapstructure:"run_at" json:"run_at"`                   // HH:MM in timezone: the server runs the nightly screening daily then; empty for never
	// TrustedProxies lists the reverse proxies (IP addresses or CIDR ranges) whose
	// X-Forwarded-For header names the client; a request from any other peer is taken to come
	// from the peer itself. Empty: X-Forwarded-For is never read.
	TrustedProxies []string `mapstructure:"trusted_proxies" json:"trusted_proxies"`
	Users          []User   `mapstructure:"users" json:"users"`
	// DismissalReasons are the reasons a dismissal may give (a select on the matter page, with
	// a free note beside it); empty: the catalogue's default list in the configured language
	// (web.dismiss.default_reasons: 已化解, 重复件, 不属于信访事项, 已依法终结, 其他).
	DismissalReasons []string `mapstructure:"dismissal_reasons" json:"dismissal_reasons"`
	// PlanDays is how many days an owned matter may go without a plan before it is marked 无方案
	// (when its assignment set no plan deadline); 0 takes DefaultPlanDays.
	PlanDays int `mapstructure:"plan_days" json:"plan_days"`
	// Office is the office's name printed at the head of the monthly ledger and bulletin (e.g.
	// 某某县信访局); empty: the catalogue's web.print.office.
	Office string `mapstructure:"office" json:"office"`
}

// User is one review app user: a name, a role (analyst, leader, office or admin) and a bcrypt hash of
// the password (earlywarn hash-password makes one).
type User struct {
	Name         string `mapstructure:"name" json:"name"`
	Role         string `mapstructure:"role" json:"role"`
	PasswordHash string `mapstructure:"password_hash" json:"-"`
}

// Defaults of the serve keys left empty.
const (
	DefaultAddr           = "127.0.0.1:8080"
	DefaultSessionMinutes = 30
	DefaultPlanDays       = 7
	MaxDismissalReason    = 50 // characters of one serve.dismissal_reasons entry
	MaxOffice             = 60 // characters of serve.office
)

// Roles of review app users, from the least to the most allowed.
const (
	RoleAnalyst = "analyst"
	RoleLeader  = "leader"
	// RoleOffice is the staff of the petition bureau or of the joint meeting's office (信访局、
	// 联席会议办公室): it reads everything, assigns (交办) matters to leaders, reassigns and
	// releases them, and records supervision (督办) and return visits (回访).
	RoleOffice = "office"
	RoleAdmin  = "admin"
)

// Roles lists every role.
var Roles = []string{RoleAnalyst, RoleLeader, RoleOffice, RoleAdmin}

// Configured reports whether the config has a serve section at all.
func (s Serve) Configured() bool {
	return len(s.Users) > 0 || s.Addr != "" || s.RunAt != "" || s.SessionMinutes != 0 || len(s.TrustedProxies) > 0 ||
		len(s.DismissalReasons) > 0 || s.PlanDays != 0 || s.Office != ""
}

// Days is PlanDays, or DefaultPlanDays when it is 0.
func (s Serve) Days() int {
	if s.PlanDays == 0 {
		return DefaultPlanDays
	}
	return s.PlanDays
}

// ParseProxy parses one serve.trusted_proxies entry, an IP address (a range of one) or a CIDR
// range.
func ParseProxy(p string) (netip.Prefix, error) {
	if a, err := netip.ParseAddr(p); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	pr, err := netip.ParsePrefix(p)
	if err != nil {
		return netip.Prefix{}, err
	}
	if pr.Addr().Is4In6() {
		pr = netip.PrefixFrom(pr.Addr().Unmap(), max(pr.Bits()-96, 0))
	}
	return pr.Masked(), nil
}

// ValidateServe checks the serve section: every problem at once, each naming its key. Run,
// which needs no users, checks it only when it is configured (Validate); serve always does.
func (s Serve) Validate() []error {
	var errs []error
	field := func(key, msg string, args ...any) { errs = append(errs, Fieldf(key, msg, args...)) }
	if s.SessionMinutes < 0 || s.SessionMinutes > 24*60 {
		field("serve.session_minutes", "config.serve.session_minutes", DefaultSessionMinutes, s.SessionMinutes)
	}
	if s.RunAt != "" {
		if _, err := time.Parse("15:04", s.RunAt); err != nil {
			field("serve.run_at", "config.serve.run_at", s.RunAt)
		}
	}
	for i, p := range s.TrustedProxies {
		if _, err := ParseProxy(p); err != nil {
			field(fmt.Sprintf("serve.trusted_proxies[%d]", i), "config.serve.trusted_proxy", p)
		}
	}
	if s.PlanDays < 0 || s.PlanDays > 365 {
		field("serve.plan_days", "config.serve.plan_days", DefaultPlanDays, s.PlanDays)
	}
	if utf8.RuneCountInString(s.Office) > MaxOffice || strings.ContainsAny(s.Office, "\n\r\t") {
		field("serve.office", "config.serve.office", MaxOffice)
	}
	reasons := map[string]bool{}
	for i, r := range s.DismissalReasons {
		key := fmt.Sprintf("serve.dismissal_reasons[%d]", i)
		switch n := utf8.RuneCountInString(strings.TrimSpace(r)); {
		case n == 0 || n > MaxDismissalReason || strings.ContainsAny(r, "\n\r\t"):
			field(key, "config.serve.dismissal_reason", MaxDismissalReason)
		case reasons[r]:
			field(key, "config.serve.dismissal_reason_twice", r)
		}
		reasons[r] = true
	}
	if len(s.Users) == 0 {
		field("serve.users", "config.serve.no_users")
	}
	seen := map[string]bool{}
	for i, u := range s.Users {
		key := fmt.Sprintf("serve.users[%d]", i)
		switch {
		case u.Name == "" || len(u.Name) > 64:
			field(key+".name", "config.serve.user_name")
		case seen[u.Name]:
			field(key+".name", "config.serve.user_twice", u.Name)
		}
		seen[u.Name] = true
		if !slices.Contains(Roles, u.Role) {
			field(key+".role", "config.serve.role", u.Role)
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			field(key+".password_hash", "config.serve.password_hash", err.Error())
		}
	}
	return errs
}
