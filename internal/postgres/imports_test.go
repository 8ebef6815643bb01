package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/akn"
	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

var admin = postgres.Actor{Name: "admin@example.org"}

func synthetic2022(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../importer/testdata/synthetic-2022-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func view(t *testing.T, db *postgres.DB, id int64) importer.View {
	t.Helper()
	v, err := db.DraftView(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestImportReviewPublish(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)

	id, err := db.CreateDraft(ctx, admin, importer.Request{Text: synthetic2022(t)})
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, db, id)
	if v.Record.Procedure != "2022/2502(RSP)" || v.Record.Title != "Situation in Kazakhstan" || v.Record.AdoptedOn.Format("2006-01-02") != "2022-01-20" {
		t.Errorf("details from the heading = %q %q %s", v.Record.Procedure, v.Record.Title, v.Record.AdoptedOn)
	}
	var cands []string
	for _, c := range v.Preview.Candidates {
		cands = append(cands, c.Name)
	}
	if !slices.Contains(cands, "Galym Ageleuov") || !slices.Contains(cands, "Dariga Sultanbekova") {
		t.Errorf("candidates = %q", cands)
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM resolutions`); n != 1 {
		t.Fatalf("a draft is public: %d resolutions", n)
	}
	if rs, total, _ := db.Resolutions(ctx, tracker.Page{Number: 1, Size: 50}); len(rs) != 1 || total != 1 {
		t.Errorf("resolutions index lists %d before publishing", len(rs))
	}

	// Create a person from a candidate, reject one link, add a demand.
	if err := db.AddDraftEntity(ctx, admin, id, v.Record.Version, nil, importer.NewEntity{Type: tracker.PersonEntity, Name: "Galym Ageleuov",
		Aliases: []string{"Галым Агелеуов"}, Role: "human rights defender"}); err != nil {
		t.Fatal(err)
	}
	v = view(t, db, id)
	var rejected string
	galymLinks := 0
	for _, c := range v.Preview.Clauses {
		for _, l := range c.Links {
			if l.Slug == "galym-ageleuov" {
				galymLinks++
				if !l.NewEntity {
					t.Errorf("link to the new person not marked as new")
				}
			}
			if c.Clause.EID == "para_2__point_b" && l.Slug == "max-bokayev" && l.Type == tracker.PersonEntity {
				rejected = l.Key
			}
		}
	}
	if galymLinks != 2 || rejected == "" {
		t.Fatalf("links to the new person = %d, Max Bokayev in 2(b) = %q", galymLinks, rejected)
	}
	// A second person with a taken name is refused beside the field.
	err = db.AddDraftEntity(ctx, admin, id, v.Record.Version, nil, importer.NewEntity{Type: tracker.PersonEntity, Name: "Max Bokayev"})
	if !strings.Contains(fieldError(err, "name"), "already") {
		t.Errorf("a duplicate person: %v", err)
	}
	if err := db.SaveDraftDecisions(ctx, admin, id, v.Record.Version, importer.Decisions{RejectedLinks: []string{rejected}}); err != nil {
		t.Fatal(err)
	}
	// A stale version is a conflict, and changes nothing.
	if err := db.SaveDraftDecisions(ctx, admin, id, v.Record.Version, importer.Decisions{}); tracker.ErrorCode(err) != tracker.ECONFLICT {
		t.Errorf("stale review = %v, want a conflict", err)
	}
	v = view(t, db, id)
	err = db.AddDraftDemand(ctx, admin, id, v.Record.Version, nil, importer.NewDemand{Clause: "para_2__point_a", Action: "release", Wording: "words that are not there"})
	if !strings.Contains(fieldError(err, "wording"), "not in") {
		t.Errorf("a demand quoting absent words: %v", err)
	}
	if err := db.AddDraftDemand(ctx, admin, id, v.Record.Version, nil, importer.NewDemand{Clause: "para_2__point_a", Action: "release",
		Wording: "release Galym Ageleuov and Dariga Sultanbekova immediately and unconditionally",
		Targets: []tracker.EntityRef{{Type: tracker.PersonEntity, Slug: "galym-ageleuov"}}}); err != nil {
		t.Fatal(err)
	}
	v = view(t, db, id)
	res, err := db.PublishDraft(ctx, admin, id, v.Record.Version, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Slug != "2022-2502-rsp" || res.Added != 12 || res.People != 1 || res.Demands != 1 {
		t.Errorf("publish = %+v", res)
	}
	if rs, total, _ := db.Resolutions(ctx, tracker.Page{Number: 1, Size: 50}); len(rs) != 2 || total != 2 {
		t.Errorf("resolutions index lists %d after publishing", len(rs))
	}
	// Max Bokayev's page cites both resolutions, oldest first; the rejected link is not there.
	p, err := db.Person(ctx, "max-bokayev")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range p.Clauses {
		if len(order) == 0 || order[len(order)-1] != c.ResolutionSlug {
			order = append(order, c.ResolutionSlug)
		}
		if c.ResolutionSlug == "2022-2502-rsp" && c.EID == "para_2__point_b" {
			t.Errorf("the rejected link was published")
		}
	}
	if strings.Join(order, ",") != "2019-2610-rsp,2022-2502-rsp" {
		t.Errorf("Max Bokayev's resolutions in order %v", order)
	}
	// His dossier cites them in the same order.
	d := dossier.Build(p, dossier.Public, "https://whereas.example.org", time.Now(), time.Now(), dossier.Words{}) // the order alone: no words needed
	var procs []string
	for _, c := range d.Clauses {
		if len(procs) == 0 || procs[len(procs)-1] != c.Procedure {
			procs = append(procs, c.Procedure)
		}
	}
	if strings.Join(procs, ",") != "2019/2610(RSP),2022/2502(RSP)" {
		t.Errorf("dossier cites %v", procs)
	}
	g, err := db.Person(ctx, "galym-ageleuov")
	if err != nil || len(g.Clauses) != 2 || len(g.Demands) != 1 {
		t.Errorf("the new person: %d clauses, %d demands, %v", len(g.Clauses), len(g.Demands), err)
	}
	if hits, _, _ := db.Search(ctx, "Агелеуов", false); len(hits) == 0 || hits[0].Slug != "galym-ageleuov" {
		t.Errorf("the new person's Cyrillic alias does not find him: %+v", hits)
	}
	// A published draft cannot be changed or published twice.
	if v := view(t, db, id); v.Record.State != importer.StatePublished || v.Record.PublishedAt == nil {
		t.Errorf("after publishing the draft is %s", v.Record.State)
	}
	if _, err := db.PublishDraft(ctx, admin, id, v.Record.Version+1, false); tracker.ErrorCode(err) != tracker.ECONFLICT || !strings.Contains(tracker.ErrorMessage(err), "published already") {
		t.Errorf("publishing twice = %v", err)
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM audit_log WHERE entity_type = 'import' AND entity_slug = $1`, strconv.FormatInt(id, 10)); n != 5 {
		t.Errorf("%d audit entries for the import, want 5: draft, new person, links, demand, publish (refusals write none)", n)
	}
}

func fieldError(err error, field string) string {
	if v, ok := err.(*tracker.ValidationError); ok {
		return v.Fields[field]
	}
	return ""
}

// A draft the parser warned about is published only once someone says they compared the
// lines with the source (issue 14 §2): the storage asks it, so every way of publishing
// does. Refused, it writes nothing, not even the new people the draft would create.
func TestPublishWithWarningsNeedsThemSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	// Paragraph 3 numbered 4: a gap the parser keeps, with a warning.
	text := strings.Replace(synthetic2022(t), "\n3.\tInstructs", "\n4.\tInstructs", 1)
	id, err := db.CreateDraft(ctx, admin, importer.Request{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, db, id)
	if err := db.AddDraftEntity(ctx, admin, id, v.Record.Version, nil, importer.NewEntity{Type: tracker.PersonEntity, Name: "Galym Ageleuov"}); err != nil {
		t.Fatal(err)
	}
	v = view(t, db, id)
	if len(v.Preview.Parsed.Warnings) != 1 {
		t.Fatalf("warnings = %v, want the numbering gap", v.Preview.Parsed.Warnings)
	}
	_, err = db.PublishDraft(ctx, admin, id, v.Record.Version, false)
	if msg := fieldError(err, importer.WarningsField); msg != "Confirm that you have compared the 1 warning with the source text." {
		t.Errorf("publishing unseen warnings = %v (%q)", err, msg)
	}
	if n := postgrestest.Count(t, url, `SELECT (SELECT count(*) FROM resolutions WHERE procedure = '2022/2502(RSP)') + (SELECT count(*) FROM people WHERE slug = 'galym-ageleuov')`); n != 0 {
		t.Fatalf("the refusal wrote %d rows", n)
	}
	if v := view(t, db, id); v.Record.State != importer.StateDraft {
		t.Errorf("after the refusal the draft is %s", v.Record.State)
	}
	if _, err := db.PublishDraft(ctx, admin, id, v.Record.Version, true); err != nil {
		t.Fatalf("publishing seen warnings: %v", err)
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM clauses c JOIN resolutions r ON r.id = c.resolution_id WHERE r.procedure = '2022/2502(RSP)' AND c.eid = 'para_4'`); n != 1 {
		t.Errorf("published without paragraph 4 as the source numbered it")
	}
}

func TestReimport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	ds, _ := seed.Load(data.Seed, data.SeedFile)
	text := ds.Resolution.SourceText
	mentions := postgrestest.Count(t, url, `SELECT count(*) FROM mentions`)
	statuses := postgrestest.Count(t, url, `SELECT count(*) FROM status_entries WHERE source_clause_id IS NOT NULL`)
	clauseIDs := postgrestest.Count(t, url, `SELECT sum(id) FROM clauses`)

	t.Run("AChangedParagraphIsUpdatedInPlace", func(t *testing.T) {
		changed := strings.Replace(text, "Instructs its President", "Instructs its President swiftly", 1)
		id, err := db.CreateDraft(ctx, admin, importer.Request{Date: "2019-03-14", Title: "Human rights situation in Kazakhstan", Text: changed})
		if err != nil {
			t.Fatal(err)
		}
		v := view(t, db, id)
		if !v.Preview.Existing || v.Preview.Changed != 1 || v.Preview.Unchanged != 27 || len(v.Problems) != 0 {
			t.Fatalf("diff = existing %v, %d changed, %d unchanged, problems %q", v.Preview.Existing, v.Preview.Changed, v.Preview.Unchanged, v.Problems)
		}
		if _, err := db.PublishDraft(ctx, admin, id, v.Record.Version, false); err != nil {
			t.Fatal(err)
		}
		r, _ := db.Resolution(ctx, "2019-2610-rsp")
		if len(r.Clauses) != 28 || !strings.Contains(r.Clauses[27].Text, "swiftly") {
			t.Errorf("after re-import: %d clauses, last %q", len(r.Clauses), r.Clauses[27].Text)
		}
		if got := postgrestest.Count(t, url, `SELECT sum(id) FROM clauses`); got != clauseIDs {
			t.Errorf("clauses were replaced, not updated (ids changed)")
		}
		if got := postgrestest.Count(t, url, `SELECT count(*) FROM mentions`); got != mentions {
			t.Errorf("mentions %d → %d", mentions, got)
		}
		if got := postgrestest.Count(t, url, `SELECT count(*) FROM status_entries WHERE source_clause_id IS NOT NULL`); got != statuses {
			t.Errorf("status entries citing a clause %d → %d", statuses, got)
		}
	})

	t.Run("DroppingACitedParagraphIsRefused", func(t *testing.T) {
		cut := text[:strings.Index(text, "\n9. ")]
		id, err := db.CreateDraft(ctx, admin, importer.Request{Date: "2019-03-14", Title: "Human rights situation in Kazakhstan", Text: cut})
		if err != nil {
			t.Fatal(err)
		}
		v := view(t, db, id)
		if len(v.Preview.Removed) != 2 || len(v.Problems) == 0 || !strings.Contains(v.Problems[0], "Paragraph 9") {
			t.Fatalf("removed %d, problems %q", len(v.Preview.Removed), v.Problems)
		}
		before := postgrestest.Count(t, url, `SELECT count(*) FROM clauses`)
		if _, err := db.PublishDraft(ctx, admin, id, v.Record.Version, false); tracker.ErrorCode(err) != tracker.ECONFLICT || !strings.Contains(tracker.ErrorMessage(err), "Paragraph 9") {
			t.Errorf("publish = %v", err)
		}
		if got := postgrestest.Count(t, url, `SELECT count(*) FROM clauses`); got != before {
			t.Errorf("a refused publish wrote clauses: %d → %d", before, got)
		}
		if view(t, db, id).Record.State != importer.StateDraft {
			t.Errorf("a refused publish changed the draft's state")
		}
	})

	t.Run("AnUnparseableTextWritesNothing", func(t *testing.T) {
		drafts := postgrestest.Count(t, url, `SELECT count(*) FROM import_drafts`)
		_, err := db.CreateDraft(ctx, admin, importer.Request{Procedure: "2020/0001(RSP)", Title: "T", Date: "2020-01-01", Text: "A. whereas x;\n1. Urges;\n1. Skips;\n"})
		if !strings.Contains(fieldError(err, "text"), "line 3") {
			t.Errorf("CreateDraft = %v", err)
		}
		if got := postgrestest.Count(t, url, `SELECT count(*) FROM import_drafts`); got != drafts {
			t.Errorf("a refused import wrote a draft")
		}
	})
}

// The seed resolution exported as Akoma Ntoso and imported into a database that lacks it
// comes back with the same clauses and the same links.
func TestAkomaNtosoRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := seeded(t)
	orig, err := db.Resolution(ctx, "2019-2610-rsp")
	if err != nil {
		t.Fatal(err)
	}
	var xml bytes.Buffer
	if err := akn.Encode(&xml, orig); err != nil {
		t.Fatal(err)
	}

	other, url := postgrestest.Open(t)
	ds, _ := seed.Load(data.Seed, data.SeedFile)
	if _, err := other.ImportDataset(ctx, ds); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM resolutions`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	id, err := other.CreateDraft(ctx, admin, importer.Request{Text: xml.String()})
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, other, id)
	if v.Preview.Parsed.Format != importer.FormatAKN || v.Record.Procedure != orig.Procedure || len(v.Preview.Candidates) != 0 {
		t.Errorf("draft = %s %s, candidates %+v", v.Preview.Parsed.Format, v.Record.Procedure, v.Preview.Candidates)
	}
	if _, err := other.PublishDraft(ctx, admin, id, v.Record.Version, false); err != nil {
		t.Fatal(err)
	}
	back, err := other.Resolution(ctx, "2019-2610-rsp")
	if err != nil {
		t.Fatal(err)
	}
	if back.Title != orig.Title || !back.AdoptedOn.Equal(orig.AdoptedOn) || len(back.Clauses) != len(orig.Clauses) {
		t.Fatalf("back: %q %s %d clauses", back.Title, back.AdoptedOn, len(back.Clauses))
	}
	key := func(ms []tracker.Mention) []string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%s/%s %q %d-%d", m.Type, m.Slug, m.Matched, m.Start, m.End))
		}
		slices.Sort(out)
		return out
	}
	for i, c := range orig.Clauses {
		b := back.Clauses[i]
		if b.EID != c.EID || b.Text != c.Text || b.Kind != c.Kind || b.Label != c.Label {
			t.Errorf("clause %s came back as %+v", c.EID, b)
		}
		if !slices.Equal(key(b.Mentions), key(c.Mentions)) {
			t.Errorf("%s links %v, want %v", c.EID, key(b.Mentions), key(c.Mentions))
		}
	}
}

// Two drafts that both create the same person: the second to publish is refused, says
// why, and writes nothing.
func TestPublishRefusesAPersonCreatedMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	var ids []int64
	for range 2 {
		id, err := db.CreateDraft(ctx, admin, importer.Request{Text: synthetic2022(t)})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AddDraftEntity(ctx, admin, id, 1, nil, importer.NewEntity{Type: tracker.PersonEntity, Name: "Dariga Sultanbekova"}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if _, err := db.PublishDraft(ctx, admin, ids[0], 2, false); err != nil {
		t.Fatal(err)
	}
	people := postgrestest.Count(t, url, `SELECT count(*) FROM people`)
	_, err := db.PublishDraft(ctx, admin, ids[1], 2, false)
	if tracker.ErrorCode(err) != tracker.ECONFLICT || !strings.Contains(tracker.ErrorMessage(err), "meanwhile added a person at /people/dariga-sultanbekova") {
		t.Errorf("second publish = %v", err)
	}
	if got := postgrestest.Count(t, url, `SELECT count(*) FROM people`); got != people {
		t.Errorf("a refused publish changed people: %d → %d", people, got)
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM audit_log WHERE entity_type = 'person' AND entity_slug = 'dariga-sultanbekova'`); n != 1 {
		t.Errorf("%d audit entries for the created person, want 1", n)
	}
}

// Every change of a draft applies the decisions sent with it first, in the same
// transaction: creating a person with a link turned down keeps it turned down; a proposal
// accepted with words not in its clause refuses the whole change.
func TestDraftChangesKeepDecisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := seeded(t)
	id, err := db.CreateDraft(ctx, admin, importer.Request{Text: synthetic2022(t)})
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, db, id)
	var bokayev string
	for _, c := range v.Preview.Clauses {
		for _, l := range c.Links {
			if c.Clause.EID == "para_2__point_b" && l.Slug == "max-bokayev" && l.Type == tracker.PersonEntity {
				bokayev = l.Key
			}
		}
	}
	d := importer.Decisions{RejectedLinks: []string{bokayev}, Proposals: []importer.ProposalDecision{
		{Key: "para_2__point_a@0", Decision: importer.Accept, Demand: importer.NewDemand{Action: "release", Wording: "release Galym Ageleuov",
			Targets: []tracker.EntityRef{{Type: tracker.PersonEntity, Slug: "galym-ageleuov"}}}},
		{Key: "para_1@39", Decision: importer.Reject},
	}}
	if err := db.AddDraftEntity(ctx, admin, id, v.Record.Version, &d, importer.NewEntity{Type: tracker.PersonEntity, Name: "Galym Ageleuov"}); err != nil {
		t.Fatal(err)
	}
	v = view(t, db, id)
	proposal := func(key string) importer.Proposal {
		for _, c := range v.Preview.Clauses {
			for _, p := range c.Proposals {
				if p.Key == key {
					return p
				}
			}
		}
		t.Fatalf("no proposal %s", key)
		return importer.Proposal{}
	}
	if !slices.Equal(v.Record.Rejected, []string{bokayev}) || len(v.Record.NewEntities) != 1 {
		t.Errorf("after creating a person: rejected %q, new %d", v.Record.Rejected, len(v.Record.NewEntities))
	}
	if p := proposal("para_2__point_a@0"); p.Decision != importer.Accept || p.Demand.Wording != "release Galym Ageleuov" {
		t.Errorf("accepted proposal = %+v", p)
	}
	if p := proposal("para_1@39"); p.Decision != importer.Reject {
		t.Errorf("rejected proposal = %+v", p)
	}
	// Refused: nothing of it is written, the entity included.
	bad := importer.Decisions{Proposals: []importer.ProposalDecision{{Key: "para_2__point_b@0", Decision: importer.Accept, Demand: importer.NewDemand{Action: "other", Wording: "nowhere"}}}}
	err = db.AddDraftEntity(ctx, admin, id, v.Record.Version, &bad, importer.NewEntity{Type: tracker.PersonEntity, Name: "Dariga Sultanbekova"})
	if !strings.Contains(fieldError(err, "para_2__point_b@0/wording"), "not in") {
		t.Errorf("a proposal accepted with absent words: %v", err)
	}
	if after := view(t, db, id); after.Record.Version != v.Record.Version || len(after.Record.NewEntities) != 1 {
		t.Errorf("a refused change wrote: version %d → %d", v.Record.Version, after.Record.Version)
	}
	// Removing the person leaves the decisions, and no demand names them any more.
	if err := db.RemoveDraftEntity(ctx, admin, id, v.Record.Version, nil, tracker.PersonEntity, "galym-ageleuov"); err != nil {
		t.Fatal(err)
	}
	v = view(t, db, id)
	if p := proposal("para_2__point_a@0"); p.Decision != importer.Accept || len(p.Demand.Targets) != 0 || !slices.Equal(v.Record.Rejected, []string{bokayev}) {
		t.Errorf("after removing the person: %+v, rejected %q", p, v.Record.Rejected)
	}
}

// Another stage of a published procedure (here the text adopted, after the seed's motion)
// is published beside it at its own address, never over it: the motion keeps its clauses,
// links and demands; importing the adopted text again is a re-import of that text (issue 15 §0).
func TestAnotherStageIsKeptBeside(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	ds, _ := seed.Load(data.Seed, data.SeedFile)
	heading, rest, _ := strings.Cut(ds.Resolution.SourceText, "\n")
	if !strings.Contains(heading, "European Parliament resolution on the Human rights situation in Kazakhstan") {
		t.Fatalf("the seed's heading is %q", heading)
	}
	adopted := "European Parliament resolution of 14 March 2019 on the human rights situation in Kazakhstan\n" +
		strings.Replace(rest, "Instructs its President", "Instructs its President swiftly", 1)
	motionClauses := postgrestest.Count(t, url, `SELECT sum(id) FROM clauses`)
	mentions := postgrestest.Count(t, url, `SELECT count(*) FROM mentions`)
	demands := postgrestest.Count(t, url, `SELECT count(*) FROM demands`)

	id, err := db.CreateDraft(ctx, admin, importer.Request{Text: adopted})
	if err != nil {
		t.Fatal(err)
	}
	v := view(t, db, id)
	if v.Record.Stage != tracker.Adopted || v.Preview.Existing || v.Address != "2019-2610-rsp-adopted" || len(v.Stages) != 1 || v.Stages[0].Stage != tracker.Motion {
		t.Fatalf("draft: stage %q, re-import %v, address %q, beside %v", v.Record.Stage, v.Preview.Existing, v.Address, v.Stages)
	}
	res, err := db.PublishDraft(ctx, admin, id, v.Record.Version, false)
	if err != nil || res.Slug != "2019-2610-rsp-adopted" {
		t.Fatalf("publish = %+v, %v", res, err)
	}
	if got := postgrestest.Count(t, url, `SELECT sum(c.id) FROM clauses c JOIN resolutions r ON r.id = c.resolution_id WHERE r.slug = '2019-2610-rsp'`); got != motionClauses {
		t.Error("the motion's clauses changed")
	}
	if got := postgrestest.Count(t, url, `SELECT count(*) FROM mentions m JOIN clauses c ON c.id = m.clause_id JOIN resolutions r ON r.id = c.resolution_id WHERE r.slug = '2019-2610-rsp'`); got != mentions {
		t.Errorf("the motion's links %d → %d", mentions, got)
	}
	if got := postgrestest.Count(t, url, `SELECT count(*) FROM demands d JOIN clauses c ON c.id = d.clause_id JOIN resolutions r ON r.id = c.resolution_id WHERE r.slug = '2019-2610-rsp'`); got != demands {
		t.Errorf("the motion's demands %d → %d", demands, got)
	}
	motion, _ := db.Resolution(ctx, "2019-2610-rsp")
	if motion.Stage != tracker.Motion || !strings.Contains(motion.Clauses[27].Text, "Instructs its President to") || len(motion.Stages) != 1 || motion.Stages[0].Slug != "2019-2610-rsp-adopted" {
		t.Errorf("motion: stage %q, last clause %q, other stages %v", motion.Stage, motion.Clauses[27].Text, motion.Stages)
	}
	text, _ := db.Resolution(ctx, "2019-2610-rsp-adopted")
	if text.Stage != tracker.Adopted || text.TextDate.Format(time.DateOnly) != "2019-03-14" || !strings.Contains(text.Clauses[27].Text, "swiftly") {
		t.Errorf("adopted: stage %q, date %v, last clause %q", text.Stage, text.TextDate, text.Clauses[27].Text)
	}

	id, err = db.CreateDraft(ctx, admin, importer.Request{Text: adopted})
	if err != nil {
		t.Fatal(err)
	}
	if v := view(t, db, id); !v.Preview.Existing || v.Address != "2019-2610-rsp-adopted" || v.Preview.Unchanged != 28 {
		t.Errorf("the adopted text again: re-import %v at %q, %d unchanged", v.Preview.Existing, v.Address, v.Preview.Unchanged)
	}
	t.Run("AStageTheTextDoesNotSayIsAsked", func(t *testing.T) {
		_, err := db.CreateDraft(ctx, admin, importer.Request{Procedure: "2020/0001(RSP)", Title: "T", Date: "2020-01-01", Text: "Heading\nA. whereas x;\n1. Urges y;\n"})
		if fieldError(err, "stage") == "" {
			t.Errorf("CreateDraft = %v, want an error beside stage", err)
		}
	})
}
