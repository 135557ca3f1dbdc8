package placeholder

import (
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

var cases = map[string]bool{
	"Unspecified": true, " UNKNOWN ": true, "N/A": true, "未注明区县": true, "未分类": true, "不详": true, "无": true,
	"Queens": false, "其他": false, "城关镇": false, "Housing and Buildings": false, "": false, "无锡": false,
}

func TestIs(t *testing.T) {
	for s, want := range cases {
		if got := Is(s); got != want {
			t.Errorf("Is(%q) = %v, want %v", s, got, want)
		}
	}
}

// SQL tells the values as Is does.
func TestSQL(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for s, want := range cases {
		var got bool
		if err := db.QueryRow("SELECT "+SQL("$1::VARCHAR"), s).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("SQL(%q) = %v, want %v", s, got, want)
		}
	}
}
