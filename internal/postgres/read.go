package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// Each page is read in one round trip: its queries go out together as a pgx batch, and
// nested lists (mentions, statuses, subjects) come back as JSON built by PostgreSQL.

// refOf is a LATERAL subquery giving the type, slug and name of the one live record that
// row alias a (a demand target: exactly one of its four ids is set) refers to, and no row
// when that record is retired. It does what the view demand_target_refs does, but as four
// lookups by primary key: run once per demand of a page, the view's four outer joins were
// planned as hash and merge joins built anew on every call (issue 16 §3, docs/benchmarks.md).
func refOf(a string) string {
	return `(SELECT 'person' AS type, p.slug, p.name FROM people p WHERE p.id = ` + a + `.person_id AND p.retired_at IS NULL
                 UNION ALL SELECT 'organisation', o.slug, o.name FROM organisations o WHERE o.id = ` + a + `.organisation_id AND o.retired_at IS NULL
                 UNION ALL SELECT 'legal_provision', l.slug, l.name FROM legal_provisions l WHERE l.id = ` + a + `.legal_provision_id AND l.retired_at IS NULL
                 UNION ALL SELECT 'case', k.slug, k.title FROM cases k WHERE k.id = ` + a + `.case_id AND k.retired_at IS NULL)`
}

// clauseRefOf is the source clause with id expression id as the JSON clauseRefJSON reads,
// or NULL for none: a lookup by primary key per history entry.
func clauseRefOf(id string) string {
	return `(SELECT json_build_object('resolution_slug', sr.slug, 'procedure', sr.procedure, 'kind', sc.kind, 'label', sc.label,
                   'eid', sc.eid, 'text', sc.text, ` + textRefJSON("sr") + `)
                 FROM clauses sc JOIN resolutions sr ON sr.id = sc.resolution_id WHERE sc.id = ` + id + `)`
}

// clauseSelect reads clauses with their resolution and every mention in them. (Reading the
// mentions through refOf instead of the view mention_refs cost as much: measured, 2026-11-30.)
const clauseSelect = `
SELECT r.slug, r.procedure, c.kind, c.label, c.eid, c.text,
       COALESCE((SELECT json_agg(json_build_object('type', mr.type, 'slug', mr.slug, 'name', mr.name,
                 'matched', mr.matched, 'start', mr.start_at, 'end', mr.end_at) ORDER BY mr.start_at, mr.type = 'case', mr.type, mr.slug)
                 FROM mention_refs mr WHERE mr.clause_id = c.id), '[]'),
       r.title, r.adopted_on, r.stage, r.reference, r.text_date, r.official_url
FROM clauses c JOIN resolutions r ON r.id = c.resolution_id`

// chargesJSON is the charges of case k (or x) as JSON, in order, for decodeCharges.
const chargesJSON = `COALESCE((SELECT json_agg(json_build_object('type', 'legal_provision', 'slug', l.slug, 'name', l.name, 'detail', ch.detail) ORDER BY ch.position)
                 FROM case_charges ch JOIN legal_provisions l ON l.id = ch.legal_provision_id WHERE ch.case_id = k.id), '[]')`

// factDateColumns are a case's dated facts (of cases k), as factDates scans them.
const factDateColumns = `k.detained_on, k.detained_on_precision, k.verdict_on, k.verdict_on_precision, k.release_due_on, k.next_hearing_on`

// factDates are a case's dated facts as factDateColumns read them.
type factDates struct {
	detained, verdict, releaseDue, nextHearing *time.Time
	detainedPrecision, verdictPrecision        tracker.Precision
}

// targets are where a scan of factDateColumns goes.
func (d *factDates) targets() []any {
	return []any{&d.detained, &d.detainedPrecision, &d.verdict, &d.verdictPrecision, &d.releaseDue, &d.nextHearing}
}

// set puts the dates into f: the detention and the verdict to their precision.
func (d *factDates) set(f *tracker.Facts) {
	when := func(t *time.Time, p tracker.Precision) tracker.When {
		if t == nil {
			return tracker.When{}
		}
		return tracker.MakeWhen(*t, p)
	}
	f.DetainedOn, f.VerdictOn = when(d.detained, d.detainedPrecision), when(d.verdict, d.verdictPrecision)
	f.ReleaseDueOn, f.NextHearingOn = deref(d.releaseDue), deref(d.nextHearing)
}

// caseSelect reads cases with their subjects, provisions and full status history. Retired
// subjects and provisions are left out: they are no public fact, and an edit keeps their
// links (writeCaseLinks).
var caseSelect = `
SELECT k.slug, k.title, k.summary, k.internal_notes, k.version, k.updated_at, k.retired_at, COALESCE(k.retired_by, ''),
       COALESCE((SELECT json_agg(json_build_object('type', 'person', 'slug', p.slug, 'name', p.name) ORDER BY p.name)
                 FROM case_people cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = k.id AND p.retired_at IS NULL), '[]'),
       COALESCE((SELECT json_agg(json_build_object('type', 'organisation', 'slug', o.slug, 'name', o.name) ORDER BY o.name)
                 FROM case_organisations co JOIN organisations o ON o.id = co.organisation_id WHERE co.case_id = k.id AND o.retired_at IS NULL), '[]'),
       COALESCE((SELECT json_agg(json_build_object('type', 'legal_provision', 'slug', l.slug, 'name', l.name) ORDER BY l.name)
                 FROM case_legal_provisions cl JOIN legal_provisions l ON l.id = cl.legal_provision_id WHERE cl.case_id = k.id AND l.retired_at IS NULL), '[]'),
       COALESCE((SELECT json_agg(json_build_object('id', se.id, 'status', se.status, 'effective_on', se.effective_on,
                 'precision', se.effective_precision, 'dated_by', se.dated_by, 'verified_on', se.verified_on,
                 'note', se.note, 'source_url', se.source_url, 'recorded_at', se.recorded_at,
                 'recorded_by', se.recorded_by_name, 'internal_note', se.internal_note,
                 'supersedes', COALESCE(se.supersedes_id, 0),
                 'superseded_by', COALESCE((SELECT max(s2.id) FROM status_entries s2 WHERE s2.supersedes_id = se.id), 0),
                 'clause', ` + clauseRefOf("se.source_clause_id") + `)
                 ORDER BY se.effective_on, se.id)
                 FROM status_entries se WHERE se.case_id = k.id), '[]'),
       ` + factDateColumns + `, k.court, k.case_number, k.sentence, k.sentence_months,
       k.facility, k.facility_public,
       ` + chargesJSON + `
FROM cases k`

type mentionJSON struct {
	Type    tracker.EntityType `json:"type"`
	Slug    string             `json:"slug"`
	Name    string             `json:"name"`
	Matched string             `json:"matched"`
	Start   int                `json:"start"`
	End     int                `json:"end"`
}

type refJSON struct {
	Type tracker.EntityType `json:"type"`
	Slug string             `json:"slug"`
	Name string             `json:"name"`
}

type statusJSON struct {
	ID     int64          `json:"id"`
	Status tracker.Status `json:"status"`
	entryDatesJSON
	Note         string         `json:"note"`
	SourceURL    string         `json:"source_url"`
	RecordedAt   time.Time      `json:"recorded_at"`
	RecordedBy   string         `json:"recorded_by"`
	InternalNote string         `json:"internal_note"`
	Supersedes   int64          `json:"supersedes"`
	SupersededBy int64          `json:"superseded_by"`
	Clause       *clauseRefJSON `json:"clause"`
}

// entryDatesJSON are the dates of a history entry as the read queries build them.
type entryDatesJSON struct {
	EffectiveOn string            `json:"effective_on"`
	Precision   tracker.Precision `json:"precision"`
	DatedBy     string            `json:"dated_by"`
	VerifiedOn  *string           `json:"verified_on"`
}

// dates reads the effective date, to its precision, and the day it was last checked.
func (j entryDatesJSON) dates() (tracker.When, time.Time, error) {
	on, err := time.Parse(time.DateOnly, j.EffectiveOn)
	if err != nil {
		return tracker.When{}, time.Time{}, fmt.Errorf("effective date: %w", err)
	}
	var verified time.Time
	if j.VerifiedOn != nil {
		if verified, err = time.Parse(time.DateOnly, *j.VerifiedOn); err != nil {
			return tracker.When{}, time.Time{}, fmt.Errorf("verified date: %w", err)
		}
	}
	return tracker.MakeWhen(on, j.Precision), verified, nil
}

func scanClause(row pgx.CollectableRow) (tracker.CitingClause, error) {
	var c tracker.CitingClause
	var mentions []byte
	var textDate *time.Time
	defer func() { c.ResolutionTextDate = deref(textDate) }()
	if err := row.Scan(&c.ResolutionSlug, &c.ResolutionProcedure, &c.Kind, &c.Label, &c.EID, &c.Text, &mentions, &c.ResolutionTitle, &c.ResolutionDate,
		&c.ResolutionStage, &c.ResolutionReference, &textDate, &c.ResolutionOfficialURL); err != nil {
		return c, err
	}
	var ms []mentionJSON
	if err := json.Unmarshal(mentions, &ms); err != nil {
		return c, fmt.Errorf("decode mentions: %w", err)
	}
	c.Mentions = make([]tracker.Mention, len(ms))
	for i, m := range ms {
		c.Mentions[i] = tracker.Mention(m)
	}
	return c, nil
}

// deref is the value p points at, or the zero value for nil (an unknown date).
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// decodeCharges reads the charges chargesJSON gives.
func decodeCharges(raw []byte) ([]tracker.Charge, error) {
	var cs []struct {
		refJSON
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(raw, &cs); err != nil {
		return nil, fmt.Errorf("decode charges: %w", err)
	}
	var out []tracker.Charge
	for _, ch := range cs {
		out = append(out, tracker.Charge{Provision: tracker.EntityRef(ch.refJSON), Detail: ch.Detail})
	}
	return out, nil
}

func scanCase(row pgx.CollectableRow) (tracker.Case, error) {
	var c tracker.Case
	var people, orgs, provisions, statuses, charges []byte
	var d factDates
	f := &c.Facts
	targets := append([]any{&c.Slug, &c.Title, &c.Summary, &c.InternalNotes, &c.Version, &c.UpdatedAt, &c.RetiredAt, &c.RetiredBy, &people, &orgs, &provisions, &statuses},
		d.targets()...)
	if err := row.Scan(append(targets, &f.Court, &f.CaseNumber, &f.Sentence, &f.SentenceMonths, &f.Facility, &f.FacilityPublic, &charges)...); err != nil {
		return c, err
	}
	d.set(f)
	var err error
	if f.Charges, err = decodeCharges(charges); err != nil {
		return c, err
	}
	for _, ref := range []struct {
		raw []byte
		dst *[]tracker.EntityRef
	}{{people, &c.People}, {orgs, &c.Organisations}, {provisions, &c.LegalProvisions}} {
		var refs []refJSON
		if err := json.Unmarshal(ref.raw, &refs); err != nil {
			return c, fmt.Errorf("decode case subjects: %w", err)
		}
		*ref.dst = make([]tracker.EntityRef, len(refs))
		for i, r := range refs {
			(*ref.dst)[i] = tracker.EntityRef(r)
		}
	}
	var ss []statusJSON
	if err := json.Unmarshal(statuses, &ss); err != nil {
		return c, fmt.Errorf("decode statuses: %w", err)
	}
	for _, s := range ss {
		on, verified, err := s.entryDatesJSON.dates()
		if err != nil {
			return c, fmt.Errorf("decode status %d: %w", s.ID, err)
		}
		e := tracker.StatusEntry{ID: s.ID, Status: s.Status, EffectiveOn: on, DatedBy: s.DatedBy, VerifiedOn: verified, Note: s.Note, SourceURL: s.SourceURL, RecordedAt: s.RecordedAt,
			RecordedBy: s.RecordedBy, InternalNote: s.InternalNote, Supersedes: s.Supersedes, SupersededBy: s.SupersededBy}
		e.SourceClause = s.Clause.ref()
		c.Statuses = append(c.Statuses, e)
	}
	return c, nil
}

// entityTables says where each entity type lives; its names are spliced into SQL, so
// they come from this fixed table and never from a request.
var entityTables = map[tracker.EntityType]struct{ table, mentionColumn, caseJoin, caseColumn string }{
	tracker.PersonEntity:         {"people", "person_id", "case_people", "person_id"},
	tracker.OrganisationEntity:   {"organisations", "organisation_id", "case_organisations", "organisation_id"},
	tracker.LegalProvisionEntity: {"legal_provisions", "legal_provision_id", "case_legal_provisions", "legal_provision_id"},
	tracker.CaseEntity:           {"cases", "case_id", "", ""},
}

// citingClauses is the query for every clause that mentions the entity of type t with slug $1.
func citingClauses(t tracker.EntityType) string {
	e := entityTables[t]
	return clauseSelect + `
WHERE c.id IN (SELECT m.clause_id FROM mentions m JOIN ` + e.table + ` x ON x.id = m.` + e.mentionColumn + ` WHERE x.slug = $1)
ORDER BY r.adopted_on, r.id, c.position`
}

// casesOf is the query for every case concerning the entity of type t with slug $1.
func casesOf(t tracker.EntityType) string {
	e := entityTables[t]
	return caseSelect + `
WHERE k.id IN (SELECT j.case_id FROM ` + e.caseJoin + ` j JOIN ` + e.table + ` x ON x.id = j.` + e.caseColumn + ` WHERE x.slug = $1)
  AND k.retired_at IS NULL
ORDER BY k.title`
}

// detail sends the entity's own row query, its cases and its citing clauses as one batch.
func (db *DB) detail(ctx context.Context, t tracker.EntityType, slug string, row string, scanRow func(pgx.CollectableRow) error, cases *[]tracker.Case, clauses *[]tracker.CitingClause, demands *[]tracker.Demand) error {
	b := &pgx.Batch{}
	b.Queue(row, slug).Query(func(rows pgx.Rows) error {
		_, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (struct{}, error) { return struct{}{}, scanRow(r) })
		return err
	})
	if cases != nil {
		b.Queue(casesOf(t), slug).Query(func(rows pgx.Rows) error {
			var err error
			*cases, err = pgx.CollectRows(rows, scanCase)
			return err
		})
	}
	b.Queue(citingClauses(t), slug).Query(func(rows pgx.Rows) error {
		var err error
		*clauses, err = pgx.CollectRows(rows, scanClause)
		return err
	})
	queueDemands(b, demandsAbout(t), demands, slug)
	return translate(db.read(ctx).SendBatch(ctx, b).Close(), string(t))
}

// Person reads a person with their cases and every clause that cites them.
func (db *DB) Person(ctx context.Context, slug string) (tracker.PersonDetail, error) {
	var d tracker.PersonDetail
	p := &d.Person
	var affiliations []byte
	err := db.detail(ctx, tracker.PersonEntity, slug,
		`SELECT id, slug, name, aliases, name_ru, name_kk, role, place, notes, internal_notes, version, born_on, retired_at, COALESCE(retired_by, ''),
		        COALESCE((SELECT json_agg(json_build_object('slug', o.slug, 'name', o.name, 'role', f.role) ORDER BY o.name)
		                  FROM affiliations f JOIN organisations o ON o.id = f.organisation_id WHERE f.person_id = people.id AND o.retired_at IS NULL), '[]')
		 FROM people WHERE slug = $1`,
		func(r pgx.CollectableRow) error {
			return r.Scan(&p.ID, &p.Slug, &p.Name, &p.Aliases, &p.Names.RU, &p.Names.KK, &p.Role, &p.Place, &p.Notes, &p.InternalNotes, &p.Version, &p.BornOn,
				&p.RetiredAt, &p.RetiredBy, &affiliations)
		},
		&d.Cases, &d.Clauses, &d.Demands)
	if err == nil {
		p.Affiliations, err = decodeAffiliations(affiliations)
	}
	return d, notFoundAs(err, "person")
}

// Organisation reads an organisation with its cases and every clause that cites it.
func (db *DB) Organisation(ctx context.Context, slug string) (tracker.OrganisationDetail, error) {
	var d tracker.OrganisationDetail
	o := &d.Organisation
	var members []byte
	err := db.detail(ctx, tracker.OrganisationEntity, slug,
		`SELECT id, slug, name, aliases, name_ru, name_kk, kind, notes, version, retired_at, COALESCE(retired_by, ''),
		        COALESCE((SELECT json_agg(json_build_object('slug', p.slug, 'name', p.name, 'role', f.role) ORDER BY p.name)
		                  FROM affiliations f JOIN people p ON p.id = f.person_id WHERE f.organisation_id = organisations.id AND p.retired_at IS NULL), '[]')
		 FROM organisations WHERE slug = $1`,
		func(r pgx.CollectableRow) error {
			return r.Scan(&o.ID, &o.Slug, &o.Name, &o.Aliases, &o.Names.RU, &o.Names.KK, &o.Kind, &o.Notes, &o.Version, &o.RetiredAt, &o.RetiredBy, &members)
		},
		&d.Cases, &d.Clauses, &d.Demands)
	if err == nil {
		o.Members, err = decodeAffiliations(members)
	}
	return d, notFoundAs(err, "organisation")
}

// LegalProvision reads a legal provision with the cases brought under it and every clause
// that cites it.
func (db *DB) LegalProvision(ctx context.Context, slug string) (tracker.LegalProvisionDetail, error) {
	var d tracker.LegalProvisionDetail
	l := &d.LegalProvision
	err := db.detail(ctx, tracker.LegalProvisionEntity, slug,
		`SELECT id, slug, name, aliases, name_ru, name_kk, jurisdiction, citation, official_url, notes, version, retired_at, COALESCE(retired_by, '')
		 FROM legal_provisions WHERE slug = $1`,
		func(r pgx.CollectableRow) error {
			return r.Scan(&l.ID, &l.Slug, &l.Name, &l.Aliases, &l.Names.RU, &l.Names.KK, &l.Jurisdiction, &l.Citation, &l.OfficialURL, &l.Notes, &l.Version, &l.RetiredAt, &l.RetiredBy)
		},
		&d.Cases, &d.Clauses, &d.Demands)
	return d, notFoundAs(err, "legal provision")
}

// Case reads a case with its subjects, history, every clause that cites it, the demands
// that target it and those about it or its people.
func (db *DB) Case(ctx context.Context, slug string) (tracker.CaseDetail, error) {
	var d tracker.CaseDetail
	err := db.detail(ctx, tracker.CaseEntity, slug, caseSelect+` WHERE k.slug = $1`,
		func(r pgx.CollectableRow) error {
			var err error
			d.Case, err = scanCase(r)
			return err
		}, nil, &d.Clauses, &d.Demands)
	if err == nil {
		rows, _ := db.read(ctx).Query(ctx, demandsAboutCaseAndPeople, slug)
		d.Related, err = pgx.CollectRows(rows, scanDemand)
		err = translate(err, "case")
	}
	return d, notFoundAs(err, "case")
}

// demandsAboutCaseAndPeople is the query for every demand about the case with slug $1 or
// about any of its people.
var demandsAboutCaseAndPeople = demandSelect + `
WHERE d.id IN (SELECT t.demand_id FROM demand_targets t JOIN cases k ON k.slug = $1
               WHERE t.case_id = k.id OR t.person_id IN (SELECT cp.person_id FROM case_people cp JOIN people p ON p.id = cp.person_id
                                                         WHERE cp.case_id = k.id AND p.retired_at IS NULL))` + demandOrder

// decodeAffiliations reads the affiliations a query built as JSON.
func decodeAffiliations(raw []byte) ([]tracker.Affiliation, error) {
	var as []struct{ Slug, Name, Role string }
	if err := json.Unmarshal(raw, &as); err != nil {
		return nil, fmt.Errorf("decode affiliations: %w", err)
	}
	out := make([]tracker.Affiliation, len(as))
	for i, a := range as {
		out[i] = tracker.Affiliation(a)
	}
	return out, nil
}

// notFoundAs names the missing thing in a not-found message.
func notFoundAs(err error, what string) error {
	if tracker.ErrorCode(err) == tracker.ENOTFOUND {
		return tracker.Errorf(tracker.ENOTFOUND, "No %s was found at this address.", what)
	}
	return err
}

// Resolution reads a resolution and all its clauses, in order, with their mentions and
// demands. It leaves out the source text, which no page shows: 9 KB per read of the
// seed's resolution.
func (db *DB) Resolution(ctx context.Context, slug string) (tracker.Resolution, error) {
	return db.resolution(ctx, slug, nil)
}

// ResolutionPage reads what the resolution page shows, in one round trip: the resolution
// as Resolution reads it and the people it names as namedPeopleSQL lists them.
func (db *DB) ResolutionPage(ctx context.Context, slug string) (tracker.Resolution, []tracker.NamedPerson, error) {
	var named []tracker.NamedPerson
	r, err := db.resolution(ctx, slug, &named)
	return r, named, err
}

// resolution reads the resolution with slug, and with named set the people it names, in
// one batch.
func (db *DB) resolution(ctx context.Context, slug string, named *[]tracker.NamedPerson) (tracker.Resolution, error) {
	var r tracker.Resolution
	b := &pgx.Batch{}
	var textDate *time.Time
	b.Queue(`SELECT id, slug, procedure, title, adopted_on, stage, reference, text_date, official_url, version
		FROM resolutions WHERE slug = $1`, slug).
		QueryRow(func(row pgx.Row) error {
			return row.Scan(&r.ID, &r.Slug, &r.Procedure, &r.Title, &r.AdoptedOn, &r.Stage, &r.Reference, &textDate, &r.OfficialURL, &r.Version)
		})
	// The other texts of the same procedure (its other stages), for the page to link.
	b.Queue(`SELECT o.slug, o.procedure, o.title, o.stage, o.reference, o.text_date, o.adopted_on, o.official_url
		FROM resolutions r JOIN resolutions o ON o.procedure = r.procedure AND o.id <> r.id WHERE r.slug = $1
		ORDER BY array_position(ARRAY['motion', 'joint_motion', 'adopted'], o.stage), o.reference, o.id`, slug).
		Query(func(rows pgx.Rows) error {
			var err error
			r.Stages, err = pgx.CollectRows(rows, scanTextRef)
			return err
		})
	b.Queue(clauseSelect+` WHERE r.slug = $1 ORDER BY c.position`, slug).
		Query(func(rows pgx.Rows) error {
			cs, err := pgx.CollectRows(rows, scanClause)
			for i, c := range cs {
				r.Clauses = append(r.Clauses, tracker.Clause{Kind: c.Kind, Label: c.Label, EID: c.EID, Position: i + 1, Text: c.Text, Mentions: c.Mentions})
			}
			return err
		})
	var demands []tracker.Demand
	queueDemands(b, demandSelect+` WHERE r.slug = $1`+demandOrder, &demands, slug)
	if named != nil {
		b.Queue(namedPeopleSQL, slug).Query(func(rows pgx.Rows) error {
			var err error
			*named, err = pgx.CollectRows(rows, scanNamedPerson)
			return err
		})
	}
	err := translate(db.read(ctx).SendBatch(ctx, b).Close(), "resolution")
	byEID := map[string][]tracker.Demand{}
	for _, d := range demands {
		byEID[d.Clause.EID] = append(byEID[d.Clause.EID], d)
	}
	for i := range r.Clauses {
		r.Clauses[i].Demands = byEID[r.Clauses[i].EID]
	}
	r.TextDate = deref(textDate)
	return r, err
}

// scanTextRef reads slug, procedure, title, stage, reference, text_date, adopted_on, official_url.
func scanTextRef(row pgx.CollectableRow) (tracker.TextRef, error) {
	var t tracker.TextRef
	var on *time.Time
	err := row.Scan(&t.Slug, &t.Procedure, &t.Title, &t.Stage, &t.Reference, &on, &t.VoteDate, &t.OfficialURL)
	t.TextDate = deref(on)
	return t, err
}

// nullDate is a date for a nullable column: NULL for the zero time (unknown).
func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// namedPeopleSQL lists the people resolution $1 names (not retired), by name, each with
// their current status and its date (the latest status entry not corrected, as
// whereas_person_status picks it) and the clauses naming them. A text names tens of
// people, so the lateral lookup runs tens of times, each on case_people's index: 3 to 9 ms
// for a text naming 58 people on a database of 20,000 generated people (EXPLAIN ANALYZE;
// a first version reading every mention took 43 ms).
const namedPeopleSQL = `
WITH named AS (
    SELECT DISTINCT m.person_id, c.eid, c.kind, c.label, c.position
    FROM resolutions r JOIN clauses c ON c.resolution_id = r.id JOIN mentions m ON m.clause_id = c.id
    WHERE r.slug = $1 AND m.person_id IS NOT NULL)
SELECT p.slug, p.name, p.current_status, s.effective_on, COALESCE(s.effective_precision, 'day'), COALESCE(s.dated_by, ''),
       array_agg(n.eid ORDER BY n.position), array_agg(n.kind ORDER BY n.position), array_agg(n.label ORDER BY n.position)
FROM named n JOIN people p ON p.id = n.person_id AND p.retired_at IS NULL
LEFT JOIN LATERAL (SELECT se.effective_on, se.effective_precision, se.dated_by FROM status_entries se
    JOIN case_people j ON j.case_id = se.case_id JOIN cases k ON k.id = se.case_id AND k.retired_at IS NULL
    WHERE j.person_id = p.id AND se.status = p.current_status AND NOT EXISTS (SELECT 1 FROM status_entries x WHERE x.supersedes_id = se.id)
    ORDER BY se.effective_on DESC, se.id DESC LIMIT 1) s ON p.current_status <> ''
GROUP BY p.id, s.effective_on, s.effective_precision, s.dated_by
ORDER BY p.name, p.id`

// scanNamedPerson reads a row of namedPeopleSQL.
func scanNamedPerson(row pgx.CollectableRow) (tracker.NamedPerson, error) {
	var n tracker.NamedPerson
	var on *time.Time
	var precision tracker.Precision
	var kinds []tracker.ClauseKind
	if err := row.Scan(&n.Slug, &n.Name, &n.Status, &on, &precision, &n.DatedBy, &n.Clauses, &kinds, &n.Labels); err != nil {
		return n, err
	}
	if on != nil {
		n.Since = tracker.MakeWhen(*on, precision)
	}
	for i := range n.Labels {
		n.Labels[i] = tracker.KindLabel(kinds[i], n.Labels[i])
	}
	return n, nil
}
