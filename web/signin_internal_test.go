package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestNextMustBeALocalPath: after signing in, only a path on this site is followed.
func TestNextMustBeALocalPath(t *testing.T) {
	for _, c := range []struct {
		next string
		ok   bool
	}{
		{"/watchlist", true},
		{"/matters/M-1?x=1", true},
		{"/watchlist?tier=red&q=%E4%B8%AD", true},
		{"/\t/127.0.0.1:18081/phish", false}, // /login?next=/%09/127.0.0.1:18081/phish
		{"/%09/127.0.0.1:18081/phish", true}, // still escaped: a path on this site
		{"/\n/evil.example", false},
		{"/\r/evil.example", false},
		{"/\x00/evil.example", false},
		{"/\x7f/evil.example", false},
		{"/\u0085/evil.example", false},
		{"//evil.example", false},
		{"/watchlist//evil", false},
		{`/\evil.example`, false},
		{`/a\b`, false},
		{"http://evil.example/", false},
		{"https:/evil.example", false},
		{"javascript:alert(1)", false},
		{"evil.example", false},
		{"watchlist", false},
		{"", false},
		{"/\xff", false},
	} {
		got := localPath(c.next)
		if c.ok && got != c.next || !c.ok && got != "" {
			t.Errorf("localPath(%q) = %q, want it %v", c.next, got, map[bool]string{true: "kept", false: "refused"}[c.ok])
		}
	}
}

// TestClientAddressReadsForwardedForOnlyFromTrustedProxies: X-Forwarded-For counts only when the
// direct peer is a listed proxy, and then from the right, skipping further trusted proxies.
func TestClientAddressReadsForwardedForOnlyFromTrustedProxies(t *testing.T) {
	s := &Server{proxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32")}}
	for _, c := range []struct {
		peer string
		xff  []string
		want string
	}{
		{"203.0.113.9:5000", nil, "203.0.113.9"},
		{"203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"}, // not a proxy: its header is ignored
		{"192.0.2.1:5000", nil, "192.0.2.1"},
		{"192.0.2.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"192.0.2.1:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},           // the client wrote 6.6.6.6
		{"192.0.2.1:5000", []string{"6.6.6.6, 198.51.100.1, 10.1.2.3"}, "198.51.100.1"}, // two proxies
		{"192.0.2.1:5000", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},         // two header lines
		{"192.0.2.1:5000", []string{"junk, 10.1.2.3"}, "10.1.2.3"},
		{"192.0.2.1:5000", []string{"junk"}, "192.0.2.1"},
		{"[::ffff:192.0.2.1]:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"192.0.2.2:5000", []string{"198.51.100.1"}, "192.0.2.2"},
	} {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientAddr(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
	none := &Server{}
	r := httptest.NewRequest("POST", "/login", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := none.clientAddr(r); got != "127.0.0.1" {
		t.Errorf("no trusted proxies: %s, want the peer 127.0.0.1", got)
	}
}
