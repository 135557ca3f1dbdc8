package configs

import (
	"errors"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func TestTrustedProxiesMustBeAddressesOrRanges(t *testing.T) {
	s := Serve{Users: []User{{Name: "a", Role: RoleAdmin, PasswordHash: "$2a$10$IwiK/mQHUSlhanSkB3MdIOul5aiISc9FS5ulTPsnrgAdYhddryWwS"}}}
	s.TrustedProxies = []string{"127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"}
	if errs := s.Validate(); len(errs) != 0 {
		t.Fatalf("valid proxies refused: %v", errors.Join(errs...))
	}
	s.TrustedProxies = []string{"10.0.0.0/8", "proxy.example", "10.0.0.0/33"}
	errs := s.Validate()
	if len(errs) != 2 {
		t.Fatalf("%d errors, want 2: %v", len(errs), errors.Join(errs...))
	}
	for lang, want := range map[string]string{"en": "not an IP address or CIDR range", "zh": "不是 IP 地址或 CIDR 网段"} {
		msg := i18n.Localize(lang, errors.Join(errs...))
		for _, w := range []string{"serve.trusted_proxies[1]", "proxy.example", "serve.trusted_proxies[2]", "10.0.0.0/33", want} {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q does not say %q", lang, msg, w)
			}
		}
	}
	for in, want := range map[string]string{"192.0.2.7": "192.0.2.7/32", "10.1.2.3/8": "10.0.0.0/8", "::ffff:192.0.2.7": "192.0.2.7/32", "2001:db8::1": "2001:db8::1/128"} {
		if p, err := ParseProxy(in); err != nil || p.String() != want {
			t.Errorf("ParseProxy(%q) = %v, %v; want %s", in, p, err, want)
		}
	}
}
