package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzCSVProfile reads arbitrary bytes as a CSV through a profile with every kind of field.
// Whatever the input: no panic or hang; an error names the file; otherwise every record is
// a row or a reject, in increasing line order, each reject with a reason, and no personal
// value in clear in a reject.
func FuzzCSVProfile(f *testing.F) {
	f.Add([]byte(testHeader + "1,2025-01-01,,来访,镇,张三,11010519491231002X,13812345678\n"))
	f.Add([]byte(testHeader + "1,\"2025-01-01\n\",,web,\"a\"\"b\",,,\n2,x,y\n"))
	f.Add([]byte("\ufeff" + testHeader + "1,01/02/2025 03:04:05 PM,2025/1/3 4:05:06,web,,,110105491231002,+86 138-1234-5678\n"))
	f.Add([]byte(testHeader + "\"unterminated"))
	f.Add([]byte("\xff\xfe\x00garbage"))
	f.Add([]byte(""))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, enc := range []string{"", "encoding: gb18030"} {
			p := testProfile(t, "csv", enc)
			path := filepath.Join(dir, "fuzz.csv")
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := openSource(p, path)
			if err != nil {
				if !strings.Contains(err.Error(), path) {
					t.Fatalf("error without the file name: %v", err)
				}
				continue
			}
			m := newMapper(p, testHasher, time.UTC, time.Time{})
			var last int64
			for n := 0; ; n++ {
				if n > len(body)+1 {
					t.Fatal("more records than bytes: the reader does not advance")
				}
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil && !isTruncated(err) {
					t.Fatalf("read error: %v", err)
				}
				if rec.Line <= last {
					t.Fatalf("line %d after line %d", rec.Line, last)
				}
				last = rec.Line
				if _, rej, ok := m.Map(rec); !ok {
					if rej.Reason == "" || rej.Line != rec.Line {
						t.Fatalf("reject %+v for record %+v", rej, rec)
					}
					if rej.Field == "complainant_name" || rej.Field == "complainant_id_number" || rej.Field == "complainant_phone" {
						if rej.Raw != "" && !strings.HasPrefix(rej.Raw, "hmac:") {
							t.Fatalf("personal raw value in clear: %+v", rej)
						}
					}
				}
			}
			r.Close()
		}
	})
}
