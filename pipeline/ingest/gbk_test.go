package ingest

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// xtextDecode is what decoding src whole with x/text gives.
func xtextDecode(t *testing.T, src []byte, gb18030 bool) []byte {
	t.Helper()
	dec := simplifiedchinese.GBK.NewDecoder()
	if gb18030 {
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	out, err := dec.Bytes(src)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hardBytes are the bytes of b that hardByte calls hard, in order.
func hardBytes(b []byte) []byte {
	var out []byte
	for _, c := range b {
		if hardByte(c) {
			out = append(out, c)
		}
	}
	return out
}

// gbkBytes returns random text of n bytes weighted towards what makes decoding hard: lead
// bytes, trail bytes, the digits of four-byte characters, line breaks, quotes, delimiters.
func gbkBytes(rng *rand.Rand, n int) []byte {
	pick := []byte{'\n', '\r', '"', ',', '\t', ';', '0', '5', '9', '@', 'A', '|', '~', 0x7f, 0x80, 0x81, 0x84, 0x95, 0xa0, 0xb0, 0xd6, 0xfe, 0xff, 0x90, 0xe3, 0x32}
	b := make([]byte, n)
	for i := range b {
		if rng.IntN(3) == 0 {
			b[i] = byte(rng.IntN(256))
		} else {
			b[i] = pick[rng.IntN(len(pick))]
		}
	}
	return b
}

// TestDecodeGBKMatchesXText checks decodeGBK against x/text on every sequence of one and two
// bytes, every four-byte character, and random text; and that text cut before any hard byte
// (a line break, a quote, a comma…) decodes piece by piece as it decodes whole, with its hard
// bytes where they were: what lets csvReader cut a file into records before decoding it.
func TestDecodeGBKMatchesXText(t *testing.T) {
	var cases [][]byte
	for a := range 256 {
		cases = append(cases, []byte{byte(a)})
		for b := range 256 {
			cases = append(cases, []byte{byte(a), byte(b)}, []byte{byte(a), byte(b), '\n'})
		}
	}
	for a := 0x81; a <= 0xfe; a++ {
		for b := 0x30; b <= 0x39; b++ {
			for c := 0x81; c <= 0xfe; c++ {
				for _, d := range []byte{0x2f, 0x30, 0x39, 0x3a} {
					cases = append(cases, []byte{byte(a), byte(b), byte(c), d})
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(16, 5))
	for range 20000 {
		cases = append(cases, gbkBytes(rng, 1+rng.IntN(64)))
	}
	for _, gb18030 := range []bool{true, false} {
		for _, src := range cases {
			want := xtextDecode(t, src, gb18030)
			if got := decodeGBK(nil, src, gb18030); !bytes.Equal(got, want) {
				t.Fatalf("gb18030 %v: % x decodes to %q, x/text gives %q", gb18030, src, got, want)
			}
			if !bytes.Equal(hardBytes(src), hardBytes(want)) {
				t.Fatalf("gb18030 %v: % x decodes to %q: its hard bytes moved", gb18030, src, want)
			}
			// Cut before each hard byte: the pieces decode to the whole.
			var pieces []byte
			from := 0
			for i := 1; i < len(src); i++ {
				if hardByte(src[i]) {
					pieces = decodeGBK(pieces, src[from:i], gb18030)
					from = i
				}
			}
			if pieces = decodeGBK(pieces, src[from:], gb18030); !bytes.Equal(pieces, want) {
				t.Fatalf("gb18030 %v: % x decodes in pieces to %q, whole to %q", gb18030, src, pieces, want)
			}
		}
	}
}

// sourceRecords reads every record of path through p.
func sourceRecords(t *testing.T, p *mapping, path string) ([]record, error) {
	t.Helper()
	r, err := openSource(p, path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var recs []record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err == nil || isTruncated(err) {
			rec.Values = append([]string(nil), rec.Values...)
			recs = append(recs, rec)
		}
		if err != nil {
			return recs, err
		}
	}
}

// TestCSVCutBeforeDecoding reads GB18030 and GBK files cut into records before they are
// decoded, and decoded before they are cut (cutRaw off), and wants the same records, lines and
// reasons: on random text with quotes, line breaks and bad bytes, and on a file of several
// blocks.
func TestCSVCutBeforeDecoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 6))
	enc := simplifiedchinese.GB18030.NewEncoder()
	var bodies [][]byte
	for range 300 {
		var b bytes.Buffer
		b.WriteString(testHeader)
		for range 1 + rng.IntN(12) {
			fields := make([]string, 8)
			for i := range fields {
				switch rng.IntN(6) {
				case 0:
					fields[i] = string(gbkBytes(rng, rng.IntN(12)))
				case 1:
					s, _ := enc.String("城关镇\"张三\"\n𠀀€")
					fields[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
				case 2:
					fields[i], _ = enc.String("来访")
				default:
					fields[i] = "2025-01-02"
				}
			}
			b.WriteString(strings.Join(fields, ","))
			b.WriteString([]string{"\n", "\r\n", "\n\n"}[rng.IntN(3)])
		}
		if rng.IntN(4) == 0 {
			b.WriteString(`1,"unclosed`) // a quote not closed at the end of the file
		}
		bodies = append(bodies, b.Bytes())
	}
	// Several blocks: a few megabytes of rows with quoted line breaks here and there.
	var big bytes.Buffer
	big.WriteString("导出\n" + testHeader)
	row, _ := enc.String("C%d,2025/1/2 3:04:05,,来访,城关镇,\"王\n五\",11010519491231002X,13812345678\n")
	for i := range 60000 {
		big.WriteString(strings.Replace(row, "%d", strings.Repeat("x", i%7), 1))
	}
	bodies = append(bodies, big.Bytes())
	for _, encoding := range []string{"gb18030", "gbk"} {
		p := testProfile(t, "csv", "encoding: "+encoding+"\nheader_prefix: \"id,\"")
		for i, body := range bodies {
			path := write(t, "a.csv", body)
			if r, err := openSource(p, path); err == nil {
				if c, ok := r.(*csvReader); !ok || !c.raw {
					t.Fatalf("%s: not cut before decoding", encoding)
				}
				r.Close()
			}
			cut, errCut := sourceRecords(t, p, path)
			cutRaw = false
			whole, errWhole := sourceRecords(t, p, path)
			cutRaw = true
			if !reflect.DeepEqual(cut, whole) || (errCut == nil) != (errWhole == nil) {
				t.Fatalf("%s, body %d (%q): cut before decoding %+v (%v), decoded first %+v (%v)", encoding, i, body[:min(len(body), 300)], cut, errCut, whole, errWhole)
			}
			if i == len(bodies)-1 && len(cut) != 60000 {
				t.Fatalf("%s: %d records of 60,000", encoding, len(cut))
			}
		}
	}
}
