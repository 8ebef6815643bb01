package web

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/tracker"
)

// SignInForm is the sign-in page's state: what was typed (never the password) and why it failed.
type SignInForm struct {
	Email string
	Next  string
	Error string
}

// ClauseOption is a clause offered as a status's source.
type ClauseOption struct {
	Value string // "resolution-slug#eid"
	Label string // in English: "2019/2610(RSP), Recital A"
	// The parts of the label, for pages in other languages: the resolution's procedure
	// reference, and the clause's kind and label ("A").
	Procedure string
	Kind      tracker.ClauseKind
	Clause    string
}

// OptionLabel is how the clause is offered, in the page's language: "2019/2610(RSP),
// Recital A", "2019/2610(RSP), Пункт преамбулы A"; the English label where its parts are
// not known.
func (o ClauseOption) OptionLabel(ctx context.Context) string {
	if o.Kind == "" || Lang(ctx) == i18n.EN {
		return o.Label
	}
	return T(ctx, "form.clause_option", "Procedure", o.Procedure, "Clause", KindLabel(ctx, o.Kind, o.Clause))
}

// StatusForm is the add-a-status form on a case page, with the input kept after an error.
// It also offers the demands about the case and its people, each with the state the
// chosen status proposes, so that what happened is recorded once, in one change.
type StatusForm struct {
	Update   tracker.StatusUpdate
	Errors   tracker.FieldErrors
	Conflict string // set when a newer change was made meanwhile
	Clauses  []ClauseOption
	Demands  []DemandChoice
	// ProposedFor is the status the demands' proposals were made for: once staff have seen
	// the proposals for the status they chose, the next submission saves.
	ProposedFor tracker.Status
}

// DemandChoice is one demand offered in the status form.
type DemandChoice struct {
	Demand   tracker.Demand
	Proposed tracker.DemandState // what the chosen status proposes; "" for nothing
	Chosen   tracker.DemandState // what staff chose; "" leaves the demand as it is
	Note     string
}

// Checking reports whether the form shows proposals for staff to check before saving.
func (f StatusForm) Checking() bool { return f.ProposedFor != "" && f.ProposedFor == f.Update.Status }

// DemandField is the name of a demand's state field in the status form.
func DemandField(slug string) string { return "demand." + slug }

// PersonForm is the edit-a-person form, with the input kept after an error.
type PersonForm struct {
	Edit    tracker.PersonEdit
	Aliases string // as typed, one per line
	// AffiliationRows are the organisations picked by name, each with a role, and blank
	// rows to add more without JavaScript.
	AffiliationRows []AffiliationRow
	Errors          tracker.FieldErrors
	Merge           *tracker.Merge // when someone else saved meanwhile and both changed a field
}

// AffiliationRow is one row of a person form's organisations: an organisation picked by
// name (form names AffiliationField(i)…) and the person's role in it (…+"_role").
type AffiliationRow struct {
	Organisation PickerField
	Role         string
}

// AffiliationField is the form name of the organisation picker of the i-th affiliation
// row; its role is sent as AffiliationField(i)+"_role".
func AffiliationField(i int) string { return "affiliation_" + strconv.Itoa(i) }

// AffiliationRoles are the roles the role box suggests; any other may be typed. They are
// stored as typed: the suggestions keep their English value, with a label in the page's
// language (affiliationRoleLabel).
var AffiliationRoles = []string{"member", "chair", "deputy chair", "founder", "director", "leader", "lawyer", "spokesperson", "board member"}

// affiliationRoleLabel is a suggested role in the page's language.
func affiliationRoleLabel(ctx context.Context, role string) string {
	return T(ctx, "form.affiliation_role."+strings.ReplaceAll(role, " ", "_"))
}

// AffiliationNames are the form names of the affiliation rows' fields, in page order, for
// the error summary.
func (f PersonForm) AffiliationNames() []string {
	names := []string{"affiliations"}
	for i := range f.AffiliationRows {
		names = append(names, AffiliationField(i), AffiliationField(i)+"_role")
	}
	return names
}

// UserForm is the add-an-account form on the admin page.
type UserForm struct {
	Email   string
	Role    string
	Errors  tracker.FieldErrors
	Created string // the email of the account just created (or whose password was reset)
	Secret  string // its generated password, shown once
	Reset   bool   // the password of an existing account was reset
}

// TokenForm is the make-a-token form on /staff/tokens.
type TokenForm struct {
	Name      string
	ExpiresIn string // days, as typed
	Errors    tracker.FieldErrors
	Created   string // the name of the token just made
	Secret    string // the token itself, shown once
}

// Itoa64 formats an id.
func Itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// ErrID is the id of a field's error message, for aria-describedby.
func ErrID(name string) string { return name + "-error" }

// CaseForm is the edit-a-case form, with the input kept after an error.
type CaseForm struct {
	Edit   tracker.CaseEdit
	Errors tracker.FieldErrors
	Merge  *tracker.Merge // when someone else saved meanwhile and both changed a field
	// The records the case links, picked by name; their slugs are in Edit.
	People, Organisations, LegalProvisions PickerField
	// Charges are the facts' charges, a row each, then empty rows to add more.
	Charges []ChargeRow
}

// ChargeRow is one charge on the case form: the law, picked by name (a single picker whose
// name is the row's, "charge_N"), and its detail ("part 2") under that name + "_detail".
type ChargeRow struct {
	Law    PickerField
	Detail string
}

// ProblemOrder is the order of the case form's fields for its error summary, each charge
// row's law where the charges are.
func (f CaseForm) ProblemOrder() []string {
	var out []string
	for _, name := range FieldNames(tracker.CaseFields) {
		out = append(out, name)
		if name == "charges" {
			for _, c := range f.Charges {
				out = append(out, c.Law.Name)
			}
		}
	}
	return append(out, "slug")
}

// LinkForm is the add-a-link form of the clause link editor.
type LinkForm struct {
	Edit   tracker.LinkEdit
	Errors tracker.FieldErrors
	Record PickerField // the record to link, picked by name; its kind is the form's type
}

// SlugLines writes entity references one slug per line, for a textarea.
func SlugLines(refs []tracker.EntityRef) string {
	var b []byte
	for i, r := range refs {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, r.Slug...)
	}
	return string(b)
}

// DemandForm is the follow-up form on a demand page, with the input kept after an error.
type DemandForm struct {
	Update   tracker.DemandUpdate
	Errors   tracker.FieldErrors
	Conflict string
	Clauses  []ClauseOption
}

// Percent is n as a whole percentage of total.
func Percent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return strconv.Itoa((n*100+total/2)/total) + "%"
}

// ImportForm is the new-import form, with the input kept after an error (an uploaded
// file's text comes back in the text area, so nothing has to be chosen again).
type ImportForm struct {
	Request importer.Request
	Errors  tracker.FieldErrors
}

// ReviewForms is the state of the forms on an import's review page after a post.
type ReviewForms struct {
	Entity     importer.NewEntity
	EntityAt   string // which entity form the input belongs to: "cand-N" or "new"
	Aliases    string // as typed, one per line
	EntityErrs tracker.FieldErrors
	Demand     importer.NewDemand
	DemandErrs tracker.FieldErrors
	// ProposalErrs are the refusals of proposed demands, keyed "proposal key/field".
	ProposalErrs tracker.FieldErrors
	// Posted are the decisions a refused post sent: the page shows them as sent.
	Posted   *importer.Decisions
	Conflict string // a newer change was made meanwhile, or publishing was refused
	// KeptEntities are the creation forms as typed before the last action (but the one
	// Entity holds), by KeptEntityKey.
	KeptEntities map[string]KeptEntity
	// TargetPicker is the add-a-demand form's field for targets picked by name, as sent.
	TargetPicker PickerField
	// CandidatesFrom is the first candidate whose creation form the page shows: a text
	// can name tens of thousands of unknown people, and one form each made a page of
	// tens of megabytes, so the forms come CandidatesPerPage at a time.
	CandidatesFrom int
	// ProposalsFrom is the first proposed demand the page shows, for the same reason.
	ProposalsFrom int
}

// KeptEntity is a creation form of the review page as typed.
type KeptEntity struct {
	Entity  importer.NewEntity
	Aliases string
}

// KeptEntityKey is the key in ReviewForms.KeptEntities of the creation form for the
// candidate named name ("" for the form for someone else): by name, not by place, as the
// list of candidates shortens when one is created.
func KeptEntityKey(name string) string {
	if name == "" {
		return "new"
	}
	return "for:" + name
}

// TargetPickerName is the form name of the add-a-demand form's picker of targets by name;
// the kind of record it names is sent as "target_type".
const TargetPickerName = "target_named"

// NewTargetPicker is the add-a-demand form's picker of targets by name, for records of type
// t, holding what f came to (see NewPicker).
func NewTargetPicker(t tracker.EntityType, chosen []tracker.Suggestion, f *tracker.PickField) PickerField {
	p := NewPicker(TargetPickerName, "Or pick others by name", t.Noun(), t, chosen, f)
	p.TypeFrom = "demand-target-type"
	p.Hint = "Anyone or anything the database knows, whether or not the text links it: choose the kind above."
	return p
}

// DemandTargetPicker is the add-a-demand form's picker: as sent, or empty, for people.
func (f ReviewForms) DemandTargetPicker() PickerField {
	if f.TargetPicker.Name != "" {
		return f.TargetPicker
	}
	return NewTargetPicker(tracker.PersonEntity, nil, nil)
}

// CandidatesPerPage is how many candidate creation forms one review page shows.
const CandidatesPerPage = 100

// CandidatesWindow is the slice [from, to) of n candidates that a review page starting at
// from shows, from rounded down to a page boundary and kept inside the list.
func CandidatesWindow(n, from int) (int, int) { return window(n, from, CandidatesPerPage) }

// ProposalsPerPage is how many proposed demands one review page shows: each is a small form.
const ProposalsPerPage = 50

// ProposalsWindow is the slice [from, to) of n proposed demands that a review page starting
// at from shows.
func ProposalsWindow(n, from int) (int, int) { return window(n, from, ProposalsPerPage) }

func window(n, from, per int) (int, int) {
	if from < 0 || from >= n {
		from = 0
	}
	from -= from % per
	return from, min(from+per, n)
}

// CandidatesFromAt is the page start that shows the candidate form named at ("cand-N"),
// so a refused form comes back on the page it was sent from.
func CandidatesFromAt(at string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(at, "cand-"))
	if err != nil || !strings.HasPrefix(at, "cand-") {
		return 0
	}
	return n
}

// LinkedEntities lists, once each, the entities a preview links, as demand targets.
func LinkedEntities(pv importer.Preview) []tracker.EntityRef {
	var out []tracker.EntityRef
	seen := map[string]bool{}
	for _, c := range pv.Clauses {
		for _, l := range c.Links {
			k := string(l.Type) + "/" + l.Slug
			if l.Accepted && !seen[k] {
				seen[k] = true
				out = append(out, tracker.EntityRef{Type: l.Type, Slug: l.Slug, Name: l.Name})
			}
		}
	}
	return out
}

// HasTarget reports whether a demand form has a target ticked.
func HasTarget(d importer.NewDemand, ref tracker.EntityRef) bool {
	for _, t := range d.Targets {
		if t.Type == ref.Type && t.Slug == ref.Slug {
			return true
		}
	}
	return false
}

// AssessedSummary says how many of the demands staff have assessed are met ("0 of 9
// assessed demands met"), never counting unassessed ones as unmet.
func AssessedSummary(met, assessed int) string {
	if assessed == 1 {
		return strconv.Itoa(met) + " of 1 assessed demand met"
	}
	return strconv.Itoa(met) + " of " + strconv.Itoa(assessed) + " assessed demands met"
}

// VisibleFacts is a case's facts as the viewer may see them: whole for staff, the facility
// left out for the public unless staff made it public.
func VisibleFacts(f tracker.Facts, staff bool) tracker.Facts {
	if staff {
		return f
	}
	return f.Public()
}

// ProposalTargets is what a proposed demand may be for: the entities its clause links
// (ticked links only) and the targets it has already, with their names.
func ProposalTargets(pv importer.Preview, c importer.ClauseReview, p importer.Proposal) []tracker.EntityRef {
	var out []tracker.EntityRef
	seen := map[string]bool{}
	add := func(ref tracker.EntityRef) {
		if k := string(ref.Type) + "/" + ref.Slug; !seen[k] {
			seen[k] = true
			out = append(out, ref)
		}
	}
	for _, l := range c.Links {
		if l.Accepted {
			add(tracker.EntityRef{Type: l.Type, Slug: l.Slug, Name: l.Name})
		}
	}
	for _, t := range p.Demand.Targets {
		t.Name = TargetName(pv, t)
		add(t)
	}
	return out
}

// TargetName is the name of a demand's target, as the draft's links give it; its slug when
// no link names it.
func TargetName(pv importer.Preview, ref tracker.EntityRef) string {
	if ref.Name != "" {
		return ref.Name
	}
	for _, c := range pv.Clauses {
		for _, l := range c.Links {
			if l.Type == ref.Type && l.Slug == ref.Slug {
				return l.Name
			}
		}
	}
	return ref.Slug
}

// ProposalNumbers gives each proposed demand of a preview its number on the review page's
// form, which names its fields ("prop-N-…"), in the order the page shows them.
func ProposalNumbers(pv importer.Preview) map[string]int {
	out := map[string]int{}
	for _, c := range pv.Clauses {
		for _, p := range c.Proposals {
			out[p.Key] = len(out)
		}
	}
	return out
}

// ReviewErrors lists every refusal on a review page, each with the id of its field, for
// the error summary at its top.
func ReviewErrors(pv importer.Preview, f ReviewForms) []Problem {
	var out []Problem
	for k, msg := range f.EntityErrs {
		out = append(out, Problem{FieldID: k, Message: msg})
	}
	for _, k := range []string{"clause", "action", "wording", "target"} {
		if msg, ok := f.DemandErrs[k]; ok {
			out = append(out, Problem{FieldID: "demand-" + k, Message: msg})
		}
	}
	if msg, ok := f.DemandErrs[TargetPickerName]; ok {
		out = append(out, Problem{FieldID: TargetPickerName, Message: msg})
	}
	numbers := ProposalNumbers(pv)
	for k, msg := range f.ProposalErrs {
		key, field, _ := strings.Cut(k, "/")
		out = append(out, Problem{FieldID: "prop-" + strconv.Itoa(numbers[key]) + "-" + field, Message: msg})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FieldID < out[j].FieldID })
	return out
}

// hintID is the id of a field's hint when it has one, "" otherwise.
func hintID(has bool, name string) string {
	if has {
		return name + "-hint"
	}
	return ""
}

// errID is the id of a field's error message when it has one, "" otherwise.
func errID(errs tracker.FieldErrors, name string) string {
	if _, ok := errs[name]; ok {
		return ErrID(name)
	}
	return ""
}

// ChargeDetail is what follows a charge's law: ", part 2", or nothing.
func ChargeDetail(c tracker.Charge) string {
	if c.Detail == "" {
		return ""
	}
	return ", " + c.Detail
}

// NamedForm is the create or edit form of an organisation or a legal provision (E is its
// edit), input kept after an error: both are a name, aliases and a few texts.
type NamedForm[E any] struct {
	Edit    E
	Aliases string // as typed, one per line
	Errors  tracker.FieldErrors
	Merge   *tracker.Merge // when someone else saved meanwhile and both changed a field
}

// OrganisationForm is the create or edit form of an organisation.
type OrganisationForm = NamedForm[tracker.OrganisationEdit]

// LegalProvisionForm is the create or edit form of a legal provision.
type LegalProvisionForm = NamedForm[tracker.LegalProvisionEdit]

// sectionTypes maps an index page's section to the type of record it lists.
var sectionTypes = map[string]tracker.EntityType{"people": tracker.PersonEntity, "cases": tracker.CaseEntity,
	"organisations": tracker.OrganisationEntity, "legal-provisions": tracker.LegalProvisionEntity}

// recordFormTitle heads a record's form: "New person", or "Edit NAME".
func recordFormTitle(ctx context.Context, t tracker.EntityType, slug, name string) string {
	if slug == "" {
		return T(ctx, "form.new."+string(t))
	}
	return T(ctx, "form.edit_title", "Name", name)
}

// recordFormAction is where a record's form posts: /people/new, or /people/{slug}/edit.
func recordFormAction(t tracker.EntityType, slug string) string {
	if slug == "" {
		return t.Path("new")
	}
	return t.Path(slug) + "/edit"
}

// recordCancel is where a record form's Cancel leads: the record, or its list.
func recordCancel(t tracker.EntityType, slug string) string {
	if slug == "" {
		return strings.TrimSuffix(t.Path("x"), "/x")
	}
	return t.Path(slug)
}

func saveLabel(ctx context.Context, slug string) string {
	if slug == "" {
		return T(ctx, "form.create")
	}
	return T(ctx, "form.save")
}

// saidErrors is a form's field errors in the page's language (see Say), for its error
// summary; fieldError says each one beside its field.
func saidErrors(ctx context.Context, errs tracker.FieldErrors) tracker.FieldErrors {
	if len(errs) == 0 || Lang(ctx) == i18n.EN {
		return errs
	}
	out := make(tracker.FieldErrors, len(errs))
	for k, msg := range errs {
		out[k] = Say(ctx, msg)
	}
	return out
}

// A sentence of interface text may hold content: a name, an email address, what staff
// typed. Such a value goes into the message as slot(i) (T(ctx, "x", "Email", slot(0))),
// and the sentence component writes the message with slot i replaced by its i-th part,
// an element of its own (named: marked translate="no"), wherever the language puts it.

// slot marks where the i-th part of a sentence goes in its message.
func slot(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

var reSlot = regexp.MustCompile("\x00([0-9]+)\x00")

// sentencePiece is a stretch of a sentence's text (Part < 0) or the place of a part.
type sentencePiece struct {
	Text string
	Part int
}

// sentencePieces cuts a message holding slots into its text and its parts' places.
func sentencePieces(msg string) []sentencePiece {
	var out []sentencePiece
	at := 0
	for _, m := range reSlot.FindAllStringSubmatchIndex(msg, -1) {
		if m[0] > at {
			out = append(out, sentencePiece{Text: msg[at:m[0]], Part: -1})
		}
		n, _ := strconv.Atoi(msg[m[2]:m[3]])
		out = append(out, sentencePiece{Part: n})
		at = m[1]
	}
	if at < len(msg) {
		out = append(out, sentencePiece{Text: msg[at:], Part: -1})
	}
	return out
}
