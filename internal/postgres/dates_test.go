package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

// TestStatusAndDemandStatesAreOneChange: a status saved with demand states is one
// transaction and one audit entry; when any demand part fails, nothing at all is written,
// the status included. Dates come back with the precision they were stored with.
func TestStatusAndDemandStatesAreOneChange(t *testing.T) {
	t.Parallel()
	db, url := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	const release, quash = "2019-2610-rsp-para-1-1", "2019-2610-rsp-para-1-2"
	counts := func() [3]int {
		return [3]int{postgrestest.Count(t, url, `SELECT count(*) FROM status_entries`), postgrestest.Count(t, url, `SELECT count(*) FROM demand_state_entries`),
			postgrestest.Count(t, url, `SELECT count(*) FROM audit_log`)}
	}
	c, err := db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	may := tracker.EntryDates{Effective: tracker.MakeWhen(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), tracker.ByMonth)}
	u := tracker.StatusUpdate{CaseSlug: c.Case.Slug, Version: c.Case.Version, Status: "released", EffectiveOn: "2024-05", Note: "Released.",
		SourceURL: "https://example.org/bokayev"}

	before := counts()
	for name, changes := range map[string][]tracker.DemandChange{
		"ADemandAboutSomeoneElse":  {{Demand: release, State: tracker.Met}, {Demand: "2019-2610-rsp-para-2-1", State: tracker.Met}},
		"ADemandThatIsNot":         {{Demand: release, State: tracker.Met}, {Demand: "no-such-demand", State: tracker.Met}},
		"AStaleDemand":             {{Demand: release, State: tracker.Met}, {Demand: quash, State: tracker.Met, Version: 99}},
		"AStateNotInTheVocabulary": {{Demand: release, State: tracker.Met}, {Demand: quash, State: "done"}}, // refused by the database
	} {
		bad := u
		bad.DemandStates = changes
		if _, err := db.AppendStatus(ctx, postgres.Actor{Name: "test"}, bad, may); err == nil {
			t.Errorf("%s: saved", name)
		}
		if got := counts(); got != before {
			t.Errorf("%s: entries and audit went from %v to %v: a refused change left a part behind", name, before, got)
		}
	}
	d, _ := db.Demand(ctx, release)
	u.DemandStates = []tracker.DemandChange{{Demand: release, State: tracker.Met, Version: d.Version}}
	if _, err := db.AppendStatus(ctx, postgres.Actor{Name: "test"}, u, may); err != nil {
		t.Fatal(err)
	}
	if got := counts(); got != [3]int{before[0] + 1, before[1] + 1, before[2] + 1} {
		t.Errorf("entries and audit went from %v to %v, want one status, one demand state, one audit entry", before, got)
	}
	c, _ = db.Case(ctx, "max-bokayev-case")
	cur, _ := c.Case.Current()
	d, _ = db.Demand(ctx, release)
	st, _ := d.Current()
	if cur.EffectiveOn != may.Effective || cur.EffectiveOn.String() != "2024-05" || st.State != tracker.Met || st.EffectiveOn != may.Effective || st.Note != "Released." {
		t.Errorf("status %+v, demand state %+v", cur, st)
	}
	// The database keeps a stored year or month on its first day.
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE status_entries SET effective_precision = 'year' WHERE effective_on = '2024-05-01'`); err == nil {
		t.Error("a year-precision date on 1 May was stored")
	}
}

// TestSeedRedatesWhatAnEarlierSeedWrote: a database seeded before dates had a precision
// holds every seed entry dated to the adoption with nothing saying so; seeding again makes
// those still as the seed wrote them say what the date rests on, leaves staff entries
// alone, and then changes nothing more.
func TestSeedRedatesWhatAnEarlierSeedWrote(t *testing.T) {
	t.Parallel()
	db, url := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// As the old seed left it: Ayan on parole "since 14 March 2019", nothing dated by anything.
	if _, err := conn.Exec(ctx, `UPDATE status_entries SET effective_on = '2019-03-14', effective_precision = 'day', dated_by = ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE demand_state_entries SET dated_by = ''`); err != nil {
		t.Fatal(err)
	}
	c, _ := db.Case(ctx, "aset-mataev-case")
	if _, err := db.AppendStatus(ctx, postgres.Actor{Name: "test"}, tracker.StatusUpdate{CaseSlug: c.Case.Slug, Version: c.Case.Version, Status: "released",
		EffectiveOn: "2019-03-14", SourceURL: "https://example.org/m"}, tracker.EntryDates{Effective: tracker.Day(time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC))}); err != nil {
		t.Fatal(err)
	}
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.ImportDataset(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	statuses := 0
	for _, c := range ds.Cases {
		statuses += len(c.Statuses)
	}
	if want := statuses + 9; res.Redated != want {
		t.Errorf("redated %d entries, want the %d seed statuses and the 9 reported demand states", res.Redated, statuses)
	}
	ayan, _ := db.Case(ctx, "talgat-ayan-case")
	if cur, _ := ayan.Case.Current(); cur.DatedBy != "reported by the resolution of 14 March 2019" {
		t.Errorf("Ayan's old seed entry: %+v", cur)
	}
	c, _ = db.Case(ctx, "aset-mataev-case")
	if cur, _ := c.Case.Current(); cur.DatedBy != "" {
		t.Errorf("a staff entry was redated: %+v", cur)
	}
	if res, err := db.ImportDataset(ctx, ds); err != nil || res.Changed() {
		t.Errorf("seeding again: %+v, %v", res, err)
	}
}
