package ingest

import (
	"encoding/json"
	"strings"
	"testing"
)

// A field rejected in every row read is a mapping that fits no row: the error says to fix the
// profile, not to raise the reject rate.
func TestRejectRateErrorOfAFieldRejectedInEveryRow(t *testing.T) {
	e := &RejectRateError{File: "a.csv", Read: 4, Quarantined: 4, Limit: 0.05,
		Fields: []RejectedField{{Field: "received_date", Rows: 4, FirstLine: 2, Reason: json.RawMessage(`[["bad_date","received_date","2020-03-18","01/02/2006"]]`)}}}
	zh := e.Localize("zh")
	if !strings.Contains(zh, "受理日期（received_date）在每一行都被隔离") || strings.Contains(zh, "--max-reject-rate") {
		t.Errorf("zh: %s", zh)
	}
	e.Fields[0].Rows, e.Quarantined = 3, 3
	if en := e.Localize("en"); !strings.Contains(en, "rejected in most rows (3)") || !strings.Contains(en, "(--max-reject-rate 0.75): that loads only 1 rows") {
		t.Errorf("en, three rows of four: %s", en)
	}
	e.Fields[0].Rows, e.Quarantined, e.Read = 2, 2, 10
	if zh := e.Localize("zh"); !strings.Contains(zh, "仅本次运行可用 `--max-reject-rate 0.20`") || strings.Contains(zh, "过半") {
		t.Errorf("zh, two rows of ten: %s", zh)
	}
}

// A field rejected in most rows (the helper's unpadded dates against a padded layout, 400 of
// 495 rows) is a layout that fits some rows only: the error says so before the flag that would
// load the rest.
func TestRejectRateErrorOfAFieldRejectedInMostRows(t *testing.T) {
	e := &RejectRateError{File: "a.csv", Read: 495, Quarantined: 400, Limit: 0.05,
		Fields: []RejectedField{{Field: "received_date", Rows: 400, FirstLine: 2, Reason: json.RawMessage(`[["bad_date","received_date","2020/1/6 12:09:38","2006/01/02 15:04:05"]]`)}}}
	zh := e.Localize("zh")
	for _, want := range []string{"受理日期（received_date）在过半的行（400 行）被隔离", "`layouts`", "（`--max-reject-rate 0.81`），那样只会载入 95 行"} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh lacks %q: %s", want, zh)
		}
	}
}

// Unknown codes in a file read through a profile: the error points to the field's map.
func TestRejectRateErrorOfUnknownCodesPointsToTheMap(t *testing.T) {
	e := &RejectRateError{File: "a.csv", Read: 10, Quarantined: 3, Limit: 0.05,
		Fields: []RejectedField{{Field: "channel", Rows: 3, FirstLine: 2, Reason: json.RawMessage(`[["unknown_code","channel","传真","letter, visit"]]`)}}}
	if zh := e.Localize("zh"); strings.Contains(zh, "`map`") {
		t.Errorf("a canonical file: %s", zh)
	}
	e.Profiled = true
	if zh := e.Localize("zh"); !strings.Contains(zh, "未知代码 传真") || !strings.Contains(zh, "映射配置该字段的 `map`") {
		t.Errorf("a profiled file: %s", zh)
	}
	e.Fields[0].Reason = json.RawMessage(`[["bad_date","channel","x","y"]]`)
	if zh := e.Localize("zh"); strings.Contains(zh, "`map`") {
		t.Errorf("no unknown code: %s", zh)
	}
}
