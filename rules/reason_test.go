package rules

import (
	"testing"
	"time"
)

func TestFormatDateAndPeriod(t *testing.T) {
	d := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := FormatDate("zh", d("2025-01-08")); got != "2025年1月8日" {
		t.Errorf("zh date %q", got)
	}
	if got := FormatDate("en", d("2025-01-08")); got != "8 Jan 2025" {
		t.Errorf("en date %q", got)
	}
	for _, tt := range []struct{ from, to, zh, en string }{
		{"2025-01-08", "2025-02-22", "2025年1月8日至2月22日", "8 Jan to 22 Feb 2025"},
		{"2025-01-08", "2025-01-22", "2025年1月8日至22日", "8 to 22 Jan 2025"},
		{"2025-01-08", "2025-01-08", "2025年1月8日", "8 Jan 2025"},
		{"2024-12-30", "2025-01-02", "2024年12月30日至2025年1月2日", "30 Dec 2024 to 2 Jan 2025"},
	} {
		if got := FormatPeriod("zh", d(tt.from), d(tt.to)); got != tt.zh {
			t.Errorf("zh %s..%s: %q, want %q", tt.from, tt.to, got, tt.zh)
		}
		if got := FormatPeriod("en", d(tt.from), d(tt.to)); got != tt.en {
			t.Errorf("en %s..%s: %q, want %q", tt.from, tt.to, got, tt.en)
		}
	}
}

// TestBuiltInReasons renders the built-in reasons on facts that take their branches: dates and
// periods written out, a period inside another without its year, counts said once.
func TestBuiltInReasons(t *testing.T) {
	for _, tt := range []struct {
		name   string
		spec   Spec
		facts  string
		zh, en string
	}{
		{"repeat", Spec{Kind: KindRepeat},
			`{"contacts":4,"total_contacts":6,"persons":1,"window_days":90,"min_contacts":4,"first_contact":"2025-01-08",
"last_contact":"2025-02-22","top_level":"city","levels_climbed":1,"stage":"answered"}`,
			"2025年1月8日至2月22日就同一事项来信来访4次（90天内阈值4次），涉及1人，已越级至市级；当前已答复。",
			"4 contacts about this matter, 8 Jan to 22 Feb 2025 (threshold 4 within 90 days), from 1 person(s); escalated to city level; now answered."},
		{"several group visits", Spec{Kind: KindGroup, Params: map[string]any{"signal": "head_count"}},
			`{"people":38,"min_people":5,"contacts":3,"first_date":"2025-03-02","last_date":"2025-05-20","stage":"handle"}`,
			"2025年3月2日至5月20日出现3次5人以上集体访，最多一次38人；当前办理中。",
			"3 group contacts of 5 or more people, 2 Mar to 20 May 2025, the largest of 38 people; now being handled."},
		{"one contact over the level", Spec{Kind: KindEscalation, Params: map[string]any{"check": "higher_level"}},
			`{"contacts":1,"min_contacts":1,"handling_level":"county","top_level":"national","levels_above":3,
"first_contact":"2025-10-15","last_contact":"2025-10-15","stage":"terminated"}`,
			"由县级办理的事项，2025年10月15日越级到国家级（高出3级）；当前已终结。",
			"1 contact(s), 15 Oct 2025, went over the handling county level to national level (3 level(s) up); now terminated."},
		{"contacts since the answer, some before the lookback", Spec{Kind: KindEscalation, Params: map[string]any{"check": "continued_after_answer"}},
			`{"contacts":5,"min_contacts":3,"answered_on":"2025-07-10","answer_type":"reviewed","first_contact":"2025-07-28",
"last_contact":"2025-12-01","persons":1,"stage":"reviewed","recent_contacts":3,"recent_first_contact":"2025-10-09","lookback_days":90}`,
			"2025年7月10日已复查后，2025年7月28日至12月1日仍有1人来信来访5次，其中2025年10月9日以来3次（阈值：90天内3次）。",
			"5 contact(s) from 1 person(s), 28 Jul to 1 Dec 2025, after the matter was reviewed on 10 Jul 2025, 3 of them since 9 Oct 2025 (threshold 3 within 90 days)."},
		{"baseline episode longer than its strongest window", Spec{Kind: KindGroup, Params: map[string]any{"signal": "baseline"}},
			`{"complainants":15,"cases":15,"observed":13,"expected":1.2,"window_days":3,"baseline_days":28,"from":"2025-06-06",
"to":"2025-06-10","group":"石桥镇 / 城乡建设","method":"ears","peak_from":"2025-06-08","peak_to":"2025-06-10","peak_complainants":13}`,
			"2025年6月6日至10日，石桥镇 / 城乡建设有15名不同信访人来信来访，明显多于往常：其中6月8日至10日有13人，按此前28天的基线预期约1.2人；涉及15件。",
			"15 different complainants about 石桥镇 / 城乡建设, 6 to 10 Jun 2025, more than usual: 13 of them 8 to 10 Jun against about 1.2 expected from the previous 28 days; 15 cases."},
		{"baseline episode of one window", Spec{Kind: KindGroup, Params: map[string]any{"signal": "baseline"}},
			`{"complainants":8,"cases":8,"observed":8,"expected":0.4,"window_days":3,"baseline_days":28,"from":"2025-04-09",
"to":"2025-04-11","group":"青山乡 / 教育","method":"ears","peak_from":"2025-04-09","peak_to":"2025-04-11","peak_complainants":8}`,
			"2025年4月9日至11日，青山乡 / 教育有8名不同信访人来信来访，明显多于往常：按此前28天的基线，3天内预期约0.4人；涉及8件。",
			"8 different complainants about 青山乡 / 教育, 9 to 11 Apr 2025, more than usual: about 0.4 expected in 3 days from the previous 28 days; 8 cases."},
		// records that name no complainant, each counted as a person: some, all, and facts an
		// earlier version stored, which do not say
		{"wave with some complainants unrecorded", Spec{Kind: KindGroup, Params: map[string]any{"signal": "wave"}},
			`{"complainants":9,"unnamed":3,"contacts":9,"cases":9,"window_days":5,"min_complainants":6,"from":"2025-04-09",
"to":"2025-04-11","group":"青山乡 / 教育 / 县教育局","observed":9,"expected":"","p_value":"","baseline_days":""}`,
			"2025年4月9日至11日，青山乡 / 教育 / 县教育局有9名不同信访人（其中3人未记录信访人，各按一人计）集中反映（5天内阈值6人），此前记录不足、未与平常的来信来访量比较，只按人数判断，涉及9件。",
			"9 different complainants (3 with no complainant recorded, each counted as one) about 青山乡 / 教育 / 县教育局, 9 to 11 Apr 2025 (threshold 6 within 5 days), judged by the count alone (too few earlier records to compare with), 9 cases."},
		{"baseline with no complainant recorded", Spec{Kind: KindGroup, Params: map[string]any{"signal": "baseline"}},
			`{"complainants":8,"unnamed":8,"cases":8,"observed":8,"expected":0.4,"window_days":3,"baseline_days":28,"from":"2025-04-09",
"to":"2025-04-11","group":"BROOKLYN / Noise","method":"ears","peak_from":"2025-04-09","peak_to":"2025-04-11","peak_complainants":8}`,
			"2025年4月9日至11日，BROOKLYN / Noise有8名不同信访人（均未记录信访人，8件次各按一人计）来信来访，明显多于往常：按此前28天的基线，3天内预期约0.4人；涉及8件。",
			"8 different complainants (no complainant recorded: 8 records, each counted as one) about BROOKLYN / Noise, 9 to 11 Apr 2025, more than usual: about 0.4 expected in 3 days from the previous 28 days; 8 cases."},
		// copied letters say what was copied: letters, online messages or both (facts an
		// earlier version stored have no channel: letters)
		{"copied online messages", Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters"}},
			`{"complainants":2,"unnamed":0,"letters":2,"min_complainants":2,"from":"2019-06-14","to":"2019-06-18",
"township":"B9市","townships":1,"category":"城乡建设","categories":1,"channel":"online"}`,
			"2019年6月14日至18日收到2名不同信访人内容相同的网上信访2件（B9市，城乡建设），疑为联名或串联信访。",
			"2 online messages with the same text from 2 different complainants, 14 to 18 Jun 2019 (B9市, 城乡建设): a likely joint or copied petition."},
		{"copied letters and online messages", Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters"}},
			`{"complainants":3,"unnamed":0,"letters":3,"min_complainants":3,"from":"2025-06-14","to":"2025-06-18",
"township":"石桥镇","townships":1,"category":"城乡建设","categories":1,"channel":"mixed"}`,
			"2025年6月14日至18日收到3名不同信访人内容相同的来信和网上信访3件（石桥镇，城乡建设），疑为联名或串联信访。",
			"3 letters and online messages with the same text from 3 different complainants, 14 to 18 Jun 2025 (石桥镇, 城乡建设): a likely joint or copied petition."},
		{"copied letters, facts without channel", Spec{Kind: KindGroup, Params: map[string]any{"signal": "copied_letters"}},
			`{"complainants":3,"letters":3,"min_complainants":3,"from":"2025-06-14","to":"2025-06-18",
"township":"石桥镇","townships":1,"category":"城乡建设","categories":1}`,
			"2025年6月14日至18日收到3名不同信访人内容相同的来信3件（石桥镇，城乡建设），疑为联名信或串联信。",
			"3 letters with the same text from 3 different complainants, 14 to 18 Jun 2025 (石桥镇, 城乡建设): a likely joint or copied letter."},
		{"repeat, facts without unnamed", Spec{Kind: KindRepeat},
			`{"contacts":4,"total_contacts":4,"persons":2,"window_days":90,"min_contacts":4,"first_contact":"2025-01-08",
"last_contact":"2025-01-22","top_level":"county","levels_climbed":0,"stage":"handle"}`,
			"2025年1月8日至22日就同一事项来信来访4次（90天内阈值4次），涉及2人；当前办理中。",
			"4 contacts about this matter, 8 to 22 Jan 2025 (threshold 4 within 90 days), from 2 person(s); now being handled."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.ID, tt.spec.Weight = "r", 1
			rs, err := Compile([]Spec{tt.spec}, DefaultClocks())
			if err != nil {
				t.Fatal(err)
			}
			got, err := rs[0].Reasons(tt.facts)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != tt.zh {
				t.Errorf("zh\n got %s\nwant %s", got[0], tt.zh)
			}
			if got[1] != tt.en {
				t.Errorf("en\n got %s\nwant %s", got[1], tt.en)
			}
		})
	}
}
