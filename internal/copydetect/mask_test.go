package copydetect

import (
	"testing"

	"github.com/earlywarn/earlywarn/internal/idnum"
)

// TestMaskedLettersCompareAsUnmasked: a letter whose id numbers and phones were masked on load
// (idnum.MaskText) normalises as it did before, so masking changes no similarity.
func TestMaskedLettersCompareAsUnmasked(t *testing.T) {
	for _, text := range []string{
		"本人张三，身份证号410105199001011234，电话13812345678，反映拖欠工资12000元。",
		"联系电话：0371-12345678、139 1234 5678；老身份证410105900101123。",
		"身份证41010519900101123X，手机+86 138-1234-5678",
		"没有号码的信，只有2023年10月12日。",
	} {
		masked := idnum.MaskText(text)
		if got, want := Normalize(masked), Normalize(text); got != want {
			t.Errorf("%q\nmasked %q\nnormalises to %q, unmasked to %q", text, masked, got, want)
		}
	}
	if got := Normalize("〔身份证〕〔电话"); got != "身份证电话" {
		t.Errorf("an incomplete marker: %q", got)
	}
}
