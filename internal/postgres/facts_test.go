package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// factsEdit is an edit of a seeded case that sets only the facts it is given.
func factsEdit(t *testing.T, db *postgres.DB, slug string, f tracker.FactsEdit, only ...string) tracker.CaseEdit {
	t.Helper()
	d, err := db.Case(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	e := tracker.CaseEditOf(d.Case)
	e.Facts = f
	e.Only = only
	return e
}

func TestCaseFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	staff := postgres.Actor{Name: "editor@example.org"}
	facts := tracker.FactsEdit{DetainedOn: "2016-05-17", VerdictOn: "2016-11-28", Court: " Atyrau City Court ", CaseNumber: "1-123/2016",
		Sentence: "5 years in prison", SentenceMonths: "60", ReleaseDueOn: "2021-05-17", NextHearingOn: "2019-06-01",
		Facility: "Petropavlovsk colony", Charges: []tracker.ChargeEdit{{Slug: "criminal-code-article-174", Detail: "part 2"}, {Slug: "criminal-code-article-274"}}}

	t.Run("SavedAndReadBack", func(t *testing.T) {
		if _, err := db.UpdateCase(ctx, staff, factsEdit(t, db, "max-bokayev-case", facts)); err != nil {
			t.Fatal(err)
		}
		d, err := db.Case(ctx, "max-bokayev-case")
		if err != nil {
			t.Fatal(err)
		}
		f := d.Case.Facts
		if f.DetainedOn.String() != "2016-05-17" || f.VerdictOn.String() != "2016-11-28" || f.Court != "Atyrau City Court" ||
			f.CaseNumber != "1-123/2016" || f.Sentence != "5 years in prison" || f.SentenceMonths == nil || *f.SentenceMonths != 60 ||
			f.ReleaseDueOn.Format(time.DateOnly) != "2021-05-17" || f.NextHearingOn.Format(time.DateOnly) != "2019-06-01" ||
			f.Facility != "Petropavlovsk colony" || f.FacilityPublic {
			t.Errorf("facts read back = %+v", f)
		}
		if len(f.Charges) != 2 || f.Charges[0].Provision.Name != "Criminal Code Article 174" || f.Charges[0].Detail != "part 2" ||
			f.Charges[1].Provision.Slug != "criminal-code-article-274" || f.Charges[1].Detail != "" {
			t.Errorf("charges = %+v", f.Charges)
		}
		if pub := f.Public(); pub.Facility != "" {
			t.Errorf("public facts show the internal facility %q", pub.Facility)
		}
		if n := postgrestest.Count(t, url, `SELECT count(*) FROM audit_log WHERE entity_slug = 'max-bokayev-case' AND after->>'facility' = 'Petropavlovsk colony' AND after->>'sentence_months' = '60'`); n != 1 {
			t.Errorf("%d audit entries record the facts, want 1", n)
		}
	})

	t.Run("InternalFacilityLeavesPublicDataVersion", func(t *testing.T) {
		v0 := postgrestest.Count(t, url, `SELECT version FROM data_version`)
		f := facts
		f.Facility = "Another colony"
		if _, err := db.UpdateCase(ctx, staff, factsEdit(t, db, "max-bokayev-case", f)); err != nil {
			t.Fatal(err)
		}
		if v := postgrestest.Count(t, url, `SELECT version FROM data_version`); v != v0 {
			t.Errorf("an internal facility's edit moved the public data version %d → %d", v0, v)
		}
		f.FacilityPublic = true
		if _, err := db.UpdateCase(ctx, staff, factsEdit(t, db, "max-bokayev-case", f)); err != nil {
			t.Fatal(err)
		}
		if v := postgrestest.Count(t, url, `SELECT version FROM data_version`); v == v0 {
			t.Error("making the facility public left the public data version")
		}
	})

	t.Run("PartialEditKeepsOtherFacts", func(t *testing.T) {
		if _, err := db.UpdateCase(ctx, staff, factsEdit(t, db, "max-bokayev-case", tracker.FactsEdit{NextHearingOn: "2019-07-01"}, "next_hearing_on")); err != nil {
			t.Fatal(err)
		}
		d, _ := db.Case(ctx, "max-bokayev-case")
		if f := d.Case.Facts; f.NextHearingOn.Format(time.DateOnly) != "2019-07-01" || f.Court != "Atyrau City Court" || len(f.Charges) != 2 || f.SentenceMonths == nil {
			t.Errorf("after a partial edit facts = %+v", f)
		}
	})

	t.Run("StaleEditMergesFacts", func(t *testing.T) {
		d, _ := db.Case(ctx, "talgat-ayan-case")
		old := tracker.CaseEditOf(d.Case)
		theirs := old
		theirs.Facts.Court = "Atyrau Regional Court"
		if _, err := db.UpdateCase(ctx, staff, theirs); err != nil {
			t.Fatal(err)
		}
		mine := old
		mine.Facts.SentenceMonths = "60"
		m, err := db.UpdateCase(ctx, postgres.Actor{Name: "other@example.org"}, mine)
		if err != nil {
			t.Fatalf("a stale edit of another fact was refused: %v", err)
		}
		d, _ = db.Case(ctx, "talgat-ayan-case")
		if f := d.Case.Facts; f.Court != "Atyrau Regional Court" || f.SentenceMonths == nil || *f.SentenceMonths != 60 {
			t.Errorf("merged facts = %+v (merge %+v)", f, m.Theirs())
		}
		mine.Facts.Court = "Another court"
		var cerr *tracker.ConflictError
		if _, err := db.UpdateCase(ctx, staff, mine); !errors.As(err, &cerr) || cerr.Merge.Conflicts()[0].Name != "court" {
			t.Errorf("both changing the court: %v", err)
		}
	})

	t.Run("RefusedPerField", func(t *testing.T) {
		for name, tc := range map[string]struct {
			f     tracker.FactsEdit
			field string
		}{
			"BadDate":                {tracker.FactsEdit{DetainedOn: "17.05.2016"}, "detained_on"},
			"VerdictBeforeDetention": {tracker.FactsEdit{DetainedOn: "2016-05-17", VerdictOn: "2016-01-01"}, "verdict_on"},
			"NegativeMonths":         {tracker.FactsEdit{SentenceMonths: "-3"}, "sentence_months"},
			"UnknownProvision":       {tracker.FactsEdit{Charges: []tracker.ChargeEdit{{Slug: "criminal-code-article-999"}}}, "charges"},
			"DetainedInTheFuture":    {tracker.FactsEdit{DetainedOn: time.Now().AddDate(1, 0, 0).Format(time.DateOnly)}, "detained_on"},
			"DetainedNextYear":       {tracker.FactsEdit{DetainedOn: time.Now().AddDate(1, 0, 0).Format("2006")}, "detained_on"},
			"MonthThirteen":          {tracker.FactsEdit{DetainedOn: "2019-13"}, "detained_on"},
			"VerdictMonthBefore":     {tracker.FactsEdit{DetainedOn: "2019-05", VerdictOn: "2019-04"}, "verdict_on"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := db.UpdateCase(ctx, staff, factsEdit(t, db, "vadim-kuramshin-case", tc.f))
				var verr *tracker.ValidationError
				if !errors.As(err, &verr) || verr.Fields[tc.field] == "" {
					t.Fatalf("err = %v, want a message for %s", err, tc.field)
				}
			})
		}
		d, _ := db.Case(ctx, "vadim-kuramshin-case")
		if !d.Case.Facts.Empty() {
			t.Errorf("a refused edit saved facts: %+v", d.Case.Facts)
		}
	})
}

// TestCaseFactDatesKeepTheirPrecision: a detention and a verdict given as a year, a month
// or a day read back as given, stored as the period's first day, and the database refuses
// a month that does not start on the first; a verdict "in 2019" may follow a detention in
// May 2019, since neither is known to come first.
func TestCaseFactDatesKeepTheirPrecision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	staff := postgres.Actor{Name: "editor@example.org"}
	for _, tc := range []struct{ detained, verdict, stored string }{
		{"2018", "2019", "2018-01-01"},
		{"2019-05", "2019", "2019-05-01"},
		{"2019-05-14", "2019-05", "2019-05-14"},
	} {
		t.Run(tc.detained, func(t *testing.T) {
			if _, err := db.UpdateCase(ctx, staff, factsEdit(t, db, "max-bokayev-case", tracker.FactsEdit{DetainedOn: tc.detained, VerdictOn: tc.verdict})); err != nil {
				t.Fatal(err)
			}
			d, err := db.Case(ctx, "max-bokayev-case")
			if err != nil {
				t.Fatal(err)
			}
			if f := d.Case.Facts; f.DetainedOn.String() != tc.detained || f.VerdictOn.String() != tc.verdict {
				t.Errorf("read back detained %q, verdict %q; want %q, %q", f.DetainedOn, f.VerdictOn, tc.detained, tc.verdict)
			}
			if e := tracker.CaseEditOf(d.Case); e.Facts.DetainedOn != tc.detained {
				t.Errorf("the edit form opens with %q, want %q", e.Facts.DetainedOn, tc.detained)
			}
			if n := postgrestest.Count(t, url, `SELECT count(*) FROM cases WHERE slug = 'max-bokayev-case' AND detained_on = '`+tc.stored+`'`); n != 1 {
				t.Errorf("detention not stored as %s", tc.stored)
			}
			var csv []string
			if err := db.CSVRows(ctx, tracker.CaseEntity, tracker.Filter{}, func(r postgres.CSVRow) error {
				if r.Slug == "max-bokayev-case" {
					csv = append(csv, r.Facts.DetainedOn.String())
				}
				return nil
			}); err != nil || len(csv) != 1 || csv[0] != tc.detained {
				t.Errorf("CSV rows read the detention as %q (%v)", csv, err)
			}
		})
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE cases SET detained_on = '2019-05-14', detained_on_precision = 'month' WHERE slug = 'max-bokayev-case'`); err == nil {
		t.Error("a month-precision detention on 14 May was stored")
	}
	if _, err := conn.Exec(ctx, `UPDATE cases SET verdict_on = '2019-06-10', verdict_on_precision = 'year' WHERE slug = 'max-bokayev-case'`); err == nil {
		t.Error("a year-precision verdict on 10 June was stored")
	}
	if _, err := conn.Exec(ctx, `UPDATE cases SET detained_on = '2019-05-01', detained_on_precision = 'month', verdict_on = '2019-04-01', verdict_on_precision = 'month'
		WHERE slug = 'max-bokayev-case'`); err == nil {
		t.Error("a verdict in April 2019 was stored after a detention in May 2019")
	}
}
