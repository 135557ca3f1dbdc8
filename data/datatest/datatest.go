// Package datatest gives tests an in-memory DuckDB with the canonical tables and compact helpers
// to fill them.
package datatest

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // registers the duckdb driver

	"github.com/earlywarn/earlywarn/data"
)

// New returns a connection to a fresh in-memory database holding the empty canonical tables.
// One connection, so temporary tables are visible to every statement of the test.
func New(t testing.TB) *sql.Conn {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, tbl := range append(data.Tables, data.ContactLinks) {
		Exec(t, conn, tbl.CreateSQL())
	}
	return conn
}

// Exec runs a statement or fails the test.
func Exec(t testing.TB, q *sql.Conn, stmt string, args ...any) {
	t.Helper()
	if _, err := q.ExecContext(context.Background(), stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// Case is a case row; empty fields take the defaults of AddCases.
type Case struct {
	ID, Received, Channel, Level, Complainant, Category, Township, Target, Unit, Content string
	HeadCount                                                                            int
}

// Contact is a contact row.
type Contact struct {
	ID, CaseID, Date, Channel, Level, Person, Category, Township string
	HeadCount                                                    int
}

// Event is a case event row; Result is an evaluation's result (empty: none).
type Event struct {
	ID, CaseID, Type, Date, Result string
}

// AddCases inserts cases, defaulting channel to visit, level to county, complainant to "P-"+id,
// category 征地拆迁, township 城关镇, target 县自然资源局, unit 城关镇人民政府, head count 1.
func AddCases(t testing.TB, q *sql.Conn, cases ...Case) {
	t.Helper()
	for _, c := range cases {
		Exec(t, q, `INSERT INTO cases (case_id, received_date, channel, level, complainant_id, head_count, category,
  township, target_org, responsible_unit, content) VALUES ($1, CAST($2 AS DATE), $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			c.ID, c.Received, or(c.Channel, "visit"), or(c.Level, "county"), or(c.Complainant, "P-"+c.ID),
			max(c.HeadCount, 1), or(c.Category, "征地拆迁"), or(c.Township, "城关镇"), or(c.Target, "县自然资源局"),
			or(c.Unit, "城关镇人民政府"), nullable(c.Content))
	}
}

// AddContacts inserts contacts, defaulting channel to visit, level to county, person to
// "P-"+case id and head count 1.
func AddContacts(t testing.TB, q *sql.Conn, contacts ...Contact) {
	t.Helper()
	for _, c := range contacts {
		Exec(t, q, `INSERT INTO contacts (contact_id, case_id, contact_date, channel, level, person_id, head_count, category, township)
VALUES ($1, $2, CAST($3 AS DATE), $4, $5, $6, $7, $8, $9)`,
			c.ID, nullable(c.CaseID), c.Date, or(c.Channel, "visit"), or(c.Level, "county"),
			or(c.Person, "P-"+c.CaseID), max(c.HeadCount, 1), nullable(c.Category), nullable(c.Township))
	}
}

// AddEvents inserts case events.
func AddEvents(t testing.TB, q *sql.Conn, events ...Event) {
	t.Helper()
	for _, e := range events {
		Exec(t, q, `INSERT INTO events (event_id, case_id, event_type, event_date, result) VALUES ($1, $2, $3, CAST($4 AS DATE), $5)`,
			e.ID, e.CaseID, e.Type, e.Date, nullable(e.Result))
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
