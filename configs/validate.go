package configs

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// MaxThreads bounds threads: DuckDB starts one OS thread per unit, and a number far past the
// cores only costs memory (each thread reserves its own buffers).
const MaxThreads = 256

// memoryLimit is what DuckDB's memory_limit takes: a number and a unit (B, KB, MB, GB, TB, or
// KiB … TiB), case-insensitive, spaces allowed between them.
var memoryLimit = regexp.MustCompile(`(?i)^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|kb|mb|gb|tb|kib|mib|gib|tib)\s*$`)

// memoryUnits are the bytes in each of memoryLimit's units, as DuckDB counts them.
var memoryUnits = map[string]float64{"b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}

// MemoryBytes is memory_limit in bytes; 0 when it is empty (DuckDB's own default) or invalid.
func (c Config) MemoryBytes() int64 {
	m := memoryLimit.FindStringSubmatch(c.MemoryLimit)
	if m == nil {
		return 0
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0
	}
	return int64(n * memoryUnits[strings.ToLower(m[2])])
}

// Validate checks every key outside the rules and clocks: version, paths, time zone, language,
// resources, the reject limit, scoring, linking and (when configured) serve. It reports every
// problem at once, joined with errors.Join, each a *FieldError naming its key; Locate adds the
// file and lines. The rules and the clocks they run on are checked where they are compiled
// (rules.Compile), and the DuckDB settings once more when a database opens with them.
func (c Config) Validate() error {
	var errs []error
	field := func(key, msg string, args ...any) { errs = append(errs, Fieldf(key, msg, args...)) }
	if c.Version != Version {
		field("version", "config.version", Version, c.Version)
	}
	for _, kv := range [][2]string{{"database", c.Database}, {"input", c.Input}, {"output", c.Output}} {
		if strings.TrimSpace(kv[1]) == "" {
			field(kv[0], "config.empty")
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" || strings.EqualFold(c.TimeZone, "local") {
		field("timezone", "config.timezone", c.TimeZone)
	}
	if !i18n.Supported(c.Lang) {
		field("lang", "config.lang", c.Lang, strings.Join(i18n.Languages, ", "))
	}
	if c.Threads < 0 || c.Threads > MaxThreads {
		field("threads", "config.threads", MaxThreads, c.Threads)
	}
	if c.MemoryLimit != "" && !memoryLimit.MatchString(c.MemoryLimit) {
		field("memory_limit", "config.memory_limit", c.MemoryLimit)
	}
	if r := c.Quarantine.MaxRejectRate; !(r >= 0 && r <= 1) {
		field("quarantine.max_reject_rate", "config.max_reject_rate", r)
	}
	if b := c.Quarantine.MaxRecordBytes; b < MinRecordBytes || b > MaxRecordBytes {
		field("quarantine.max_record_bytes", "config.max_record_bytes", MinRecordBytes, MaxRecordBytes, b)
	}
	if w := c.Watchlist; w.StrengthCap < 1 || !finite(w.StrengthCap) {
		field("watchlist.strength_cap", "config.strength_cap", w.StrengthCap)
	}
	if o, r := c.Watchlist.Tiers.Orange, c.Watchlist.Tiers.Red; !(o > 0 && r > o) || !finite(r) || !finite(o) {
		field("watchlist.tiers", "config.tiers", o, r)
	}
	if d := c.Watchlist.WorseOverdueDays; d < 1 || d > MaxDays {
		field("watchlist.worse_overdue_days", "config.days_range", MaxDays, d)
	}
	if n := c.Watchlist.LeaderTop; n < 1 || n > MaxLeaderTop {
		field("watchlist.leader_top", "config.leader_top", MaxLeaderTop, n)
	}
	if n := c.Watchlist.SheetRows; n < 1 || n > MaxSheetRows {
		field("watchlist.sheet_rows", "config.sheet_rows", MaxSheetRows, n)
	}
	for _, d := range []struct {
		key  string
		days int
	}{{"watchlist.active_days.repeat", c.Watchlist.ActiveDays.Repeat}, {"watchlist.active_days.group", c.Watchlist.ActiveDays.Group},
		{"watchlist.half_life_days", c.Watchlist.HalfLifeDays}, {"watchlist.due_soon_days", c.Watchlist.DueSoonDays}} {
		if d.days < 0 || d.days > MaxDays {
			field(d.key, "config.days_range_zero", MaxDays, d.days)
		}
	}
	if d := c.Linking.WindowDays; d < 1 || d > MaxDays {
		field("linking.window_days", "config.days_range", MaxDays, d)
	}
	if c.Linking.MaxPerCase < 1 {
		field("linking.max_per_case", "config.at_least_one", c.Linking.MaxPerCase)
	}
	if m := c.Text.CategoryMinConfidence; !(m >= 0 && m <= 1) {
		field("text.category_min_confidence", "config.category_min_confidence", m)
	}
	if t := c.Topics; t.On() {
		if t.WindowDays < 1 || t.WindowDays > MaxDays {
			field("topics.window_days", "config.days_range", MaxDays, t.WindowDays)
		}
		if t.BaselineDays < 7 || t.BaselineDays > MaxDays {
			field("topics.baseline_days", "config.topics_baseline_days", MaxDays, t.BaselineDays)
		}
		if t.MinComplainants < 2 {
			field("topics.min_complainants", "config.topics_min_complainants", t.MinComplainants)
		}
		if !(t.Alpha > 0 && t.Alpha < 1) {
			field("topics.alpha", "config.topics_alpha", t.Alpha)
		}
		if !(t.TemplateShare > 0 && t.TemplateShare <= 1) {
			field("topics.template_share", "config.topics_template_share", t.TemplateShare)
		}
	}
	if t := c.Topics; t.MaxTopics < 0 || t.MaxTopics > MaxTopics {
		field("topics.max_topics", "config.topics_max_topics", MaxTopics, t.MaxTopics)
	}
	if c.Serve.Configured() {
		errs = append(errs, c.Serve.Validate()...)
	}
	return errors.Join(errs...)
}

// MaxTopics bounds topics.max_topics: the report lists them all.
const MaxTopics = 100

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
