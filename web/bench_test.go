package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"

	"github.com/earlywarn/earlywarn/pipeline/pipelinetest"
	"github.com/earlywarn/earlywarn/web"
)

// bigWatchlist adds a latest run with n watchlist items (pipelinetest.AddBigRun) to a fixture
// database and returns the server's handler and a signed-in leader's session cookie.
func bigWatchlist(tb testing.TB, n int) (http.Handler, *http.Cookie, *sql.DB) {
	tb.Helper()
	cfg := pipelinetest.Config(tb)
	pipelinetest.Run(tb, cfg)
	db := pipelinetest.Open(tb, cfg)
	srv, err := web.New(context.Background(), db, web.Options{Serve: configs.Serve{Users: users()}})
	if err != nil {
		tb.Fatal(err)
	}
	pipelinetest.AddBigRun(tb, db, n)
	h := srv.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	login := rec.Result().Cookies()[0]
	token := loginField.FindStringSubmatch(rec.Body.String())[1]
	req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"login_token": {token}, "user": {"leader"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(login)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "ew_session" {
			return h, c, db
		}
	}
	tb.Fatalf("sign-in failed: %d", rec.Code)
	return nil, nil, nil
}

func serve(tb testing.TB, h http.Handler, c *http.Cookie, path string) string {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		tb.Fatalf("%s: %d", path, rec.Code)
	}
	return rec.Body.String()
}

func TestPaginationOverALargeWatchlist(t *testing.T) {
	h, c, _ := bigWatchlist(t, 10_000)
	body := serve(t, h, c, "/watchlist?page=2")
	if !strings.Contains(body, "共 10000 项，第 2/200 页") || !strings.Contains(body, "case:B000051") || !strings.Contains(body, "case:B000100") || strings.Contains(body, "case:B000101") || strings.Contains(body, "case:B000050<") {
		t.Errorf("page 2 is not ranks 51 to 100:\n%s", excerpt(body))
	}
	if !strings.Contains(body, `href="/watchlist?page=1"`) || !strings.Contains(body, `href="/watchlist?page=3"`) {
		t.Error("page 2 lacks links to pages 1 and 3")
	}
	body = serve(t, h, c, "/watchlist?tier=red&state=owned&page=2")
	if !strings.Contains(body, "共 200 项，第 2/4 页") || !strings.Contains(body, "tier=red") {
		t.Errorf("filtered page:\n%s", excerpt(body))
	}
	if body := serve(t, h, c, "/watchlist?page=999"); !strings.Contains(body, "没有符合条件的事项") {
		t.Error("a page past the end should say no matters match")
	}
}

// BenchmarkWatchlistPage renders the watchlist page over 10,000 items (target: ≤ 200 ms of
// server time per page). Run: go test -tags duckdb_arrow ./internal/web -run '^$' -bench Watchlist
func BenchmarkWatchlistPage(b *testing.B) {
	h, c, _ := bigWatchlist(b, 10_000)
	for _, bc := range []struct{ name, path string }{
		{"first", "/watchlist"},
		{"last", "/watchlist?page=200"},
		{"filtered", "/watchlist?tier=orange&rule=repeat-contacts&township=" + url.QueryEscape("乡镇7") + "&state=open"},
	} {
		serve(b, h, c, bc.path) // warm: the first request reads the columns from disk
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				serve(b, h, c, bc.path)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
}
