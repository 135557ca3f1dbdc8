package idnum

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestIdNumbersAndPhonesInTextAreMasked(t *testing.T) {
	id, ph := MarkIDNumber, MarkPhone
	for _, c := range []struct{ in, want string }{
		{"本人身份证号410105199001011234，电话13812345678。", "本人身份证号" + id + "，电话" + ph + "。"},
		{"身份证41010519900101123X号", "身份证" + id + "号"},
		{"id 41010519900101123x", "id " + id},
		{"老身份证410105900101123", "老身份证" + id},
		{"身份证 410105 19900101 1234", "身份证 " + id},
		{"手机 138 1234 5678 或 139-1234-5678", "手机 " + ph + " 或 " + ph},
		{"+86 13812345678", ph},
		{"+8613812345678", ph},
		{"008613812345678", ph},
		{"座机0371-12345678转801", "座机" + ph + "转801"},
		{"座机(0371)1234567", "座机(" + ph},
		{"座机（010）12345678", "座机（" + ph},
		{"0371 87654321", ph},
		// Lists separated by one character: each is masked.
		{"13812345678,13912345678,13712345678", ph + "," + ph + "," + ph},
		{"410105199001011234、410105199001011242", id + "、" + id},
		{"13812345678 13912345678", ph + " " + ph},
		// Not identifiers: too short or too long a run, amounts, dates, case ids.
		{"拖欠工资12000元，2023-10-12", "拖欠工资12000元，2023-10-12"},
		{"银行卡6222021234567890123", "银行卡6222021234567890123"},
		{"编号XF2025-0000001", "编号XF2025-0000001"},
		{"1381234567", "1381234567"},
		{"138123456789", "138123456789"},
		{"12812345678", "12812345678"},
		{"", ""},
	} {
		if got := MaskText(c.in); got != c.want {
			t.Errorf("MaskText(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := MaskText(MaskText(c.in)); got != c.want {
			t.Errorf("masking %q twice = %q", c.in, got)
		}
	}
}

// TestMaskTextIsTheReplacementsOverTheWholeText: MaskText, which replaces only over the
// regions a match may touch and after the prefilter, gives what the SQL does: each pattern
// replaced twice over the whole text; and text it changes always matches MaskPrefilter.
func TestMaskTextIsTheReplacementsOverTheWholeText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pre := regexp.MustCompile(MaskPrefilter)
	pieces := []string{"电话", "身份证", " ", "-", "(", ")", "）", "（", "+", "+86", "86", "0086", "0", "1", "13", "0371", "x", "X", "，", ",", "、", "a", "  "}
	changed := 0
	for range 50000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			switch r.IntN(4) {
			case 0:
				b.WriteString(pieces[r.IntN(len(pieces))])
			case 1: // a real-looking number
				fmt.Fprintf(&b, []string{"1%d%09d", "4101051990%04d%04d", "0371-%08d", "%d%014d"}[r.IntN(4)], 3+r.IntN(7), r.IntN(1e9))
			default:
				for range 1 + r.IntN(9) {
					b.WriteByte(byte('0' + r.IntN(10)))
				}
			}
		}
		s := b.String()
		got := MaskText(s)
		if got != s {
			changed++
			if !pre.MatchString(s) {
				t.Fatalf("%q is masked but does not match the prefilter", s)
			}
		}
		want := s
		for _, m := range []struct {
			re   *regexp.Regexp
			mark string
		}{{idNumberInText, MarkIDNumber}, {phoneInText, MarkPhone}} {
			repl := "${1}" + m.mark + "${2}"
			want = m.re.ReplaceAllString(m.re.ReplaceAllString(want, repl), repl)
		}
		if got != want {
			t.Fatalf("%q: MaskText %q, the replacements over the whole text %q", s, got, want)
		}
	}
	if changed < 5000 {
		t.Errorf("only %d of the texts had something to mask", changed)
	}
}

// TestNumberKindAgreesWithTextPatterns: a number the text patterns mask is, as digits alone,
// of the kind NumberKind says, and the other way round.
func TestNumberKindAgreesWithTextPatterns(t *testing.T) {
	for _, c := range []struct {
		text string
		kind Kind
	}{
		{"410105199001011234", IDNumber}, {"41010519900101123X", IDNumber}, {"410105900101123", IDNumber},
		{"13812345678", PhoneNumber}, {"8613812345678", PhoneNumber}, {"008613812345678", PhoneNumber},
		{"037112345678", PhoneNumber}, {"01012345678", PhoneNumber}, {"0101234567", PhoneNumber},
		{"12812345678", OtherNumber}, {"010105900101123", OtherNumber}, {"0012345678", OtherNumber},
		{"1234567", OtherNumber}, {"6222021234567890123", OtherNumber},
	} {
		if got := NumberKind([]byte(c.text)); got != c.kind {
			t.Errorf("NumberKind(%s) = %d, want %d", c.text, got, c.kind)
		}
		var want string
		switch c.kind {
		case IDNumber:
			want = MarkIDNumber
		case PhoneNumber:
			want = MarkPhone
		default:
			want = c.text
		}
		if got := MaskText(c.text); got != want {
			t.Errorf("MaskText(%s) = %q, want %q", c.text, got, want)
		}
	}
}

// BenchmarkMaskText: the Go side's cost a letter, for a letter with no identifier (the usual
// case: the digit count and prefilter turn it away) and one with an id number and a phone.
func BenchmarkMaskText(b *testing.B) {
	plain := "您好，长岭镇六合村村民反映，这件事从2012年拖到现在，安置房分配时抽签不公开，我家被分到23层楼房的顶层，拆迁安置房原定2021年底交付，现已过去34个月仍未动工，找过相关负责人，请求尽快答复。"
	for _, c := range []struct{ name, text string }{
		{"none", plain},
		{"id-and-phone", plain + "联系电话13812345678，身份证号410105199001011234。"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				MaskText(c.text)
			}
		})
	}
}
