package importer_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/tracker"
)

// proposals lists a preview's proposed demands by clause.
func proposals(pv importer.Preview) map[string][]importer.Proposal {
	out := map[string][]importer.Proposal{}
	for _, c := range pv.Clauses {
		out[c.Clause.EID] = append(out[c.Clause.EID], c.Proposals...)
	}
	return out
}

func targetSlugs(d importer.NewDemand) []string {
	var out []string
	for _, t := range d.Targets {
		out = append(out, string(t.Type)+"/"+t.Slug)
	}
	return out
}

// The seed resolution's operative paragraphs, read with the seed's people, organisations
// and laws known: each demanding phrase is proposed with its words, an action and the
// entities named within those words.
func TestProposedDemandsInTheSeed(t *testing.T) {
	ds, ents := seedData(t)
	p, err := importer.Parse(ds.Resolution.SourceText)
	if err != nil {
		t.Fatal(err)
	}
	pv := importer.BuildPreview(p, importer.Known{Linker: linker.New(ents, nil)}, nil, nil, nil)
	got := proposals(pv)
	want := []struct {
		clause  string
		action  tracker.DemandAction
		wording string
		targets []string
	}{
		{"para_1", "release", "release wrongfully imprisoned civil society activist Max Bokayev convicted after protesting land reform proposals", []string{"person/max-bokayev"}},
		{"para_1", "quash_conviction", "quash his conviction", nil},
		{"para_1", "quash_conviction", "quash the conviction of activist Talgat Ayan", []string{"person/talgat-ayan"}},
		{"para_2", "release", "release activists, journalists, and other critics currently detained under those charges", nil},
		{"para_3", "end_practice", "end the crackdown on independent trade unions", nil},
		{"para_3", "lift_restrictions", "lift restrictions on their activities", nil},
		{"para_3", "quash_conviction", "quash the convictions of Larissa Kharkova, Nurbek Kushakbaev, and Amin Eleusinov",
			[]string{"person/larisa-kharkova", "person/nurbek-kushakbaev", "person/amin-eleusinov"}},
		{"para_3", "review_case", "address our concerns regarding the criminal investigation against Erlan Baltabay", []string{"person/erlan-baltabay"}},
		{"para_4", "amend_or_repeal_law", "review the Law on Public Association and the condition of access to funding", []string{"legal_provision/law-on-public-association"}},
		{"para_6", "amend_or_repeal_law", "Place a moratorium on criminal libel", []string{"legal_provision/criminal-libel"}},
		{"para_6", "end_practice", "end blocking access to information on-line and off-line", nil},
		{"para_7", "investigate", "ensure that allegations of torture, including those made in the context of the Zhanaozen events, are fully investigated", nil},
		{"para_8", "review_case", "review the case of Iskander Yerimbetov in light of the conclusions of the UN Working Group on Arbitrary Detention",
			[]string{"person/iskander-yerimbetov", "organisation/un-working-group-on-arbitrary-detention"}},
		// "calls on the Kazakh authorities to fully engage": the words start at the verb.
		{"para_9", "engage_in_dialogue", "engage in it, as well as in all other forums", nil},
	}
	for _, w := range want {
		i := slices.IndexFunc(got[w.clause], func(p importer.Proposal) bool { return strings.HasPrefix(p.Demand.Wording, w.wording) })
		if i < 0 {
			t.Errorf("%s: no proposal %q among %d", w.clause, w.wording, len(got[w.clause]))
			continue
		}
		pr := got[w.clause][i]
		if pr.Demand.Action != w.action || pr.Demand.Clause != w.clause || pr.Decision != "" {
			t.Errorf("%s %q: action %s, clause %s, decision %q; want %s, undecided", w.clause, w.wording, pr.Demand.Action, pr.Demand.Clause, pr.Decision, w.action)
		}
		if ts := targetSlugs(pr.Demand); !slices.Equal(ts, w.targets) {
			t.Errorf("%s %q: targets %q, want %q", w.clause, w.wording, ts, w.targets)
		}
		// The words are the clause's own, where the proposal says.
		text := []rune(pv.Clauses[slices.IndexFunc(pv.Clauses, func(c importer.ClauseReview) bool { return c.Clause.EID == w.clause })].Clause.Text)
		if string(text[pr.Start:pr.End]) != pr.Demand.Wording {
			t.Errorf("%s: span %d–%d is %q, not the wording", pr.Key, pr.Start, pr.End, string(text[pr.Start:pr.End]))
		}
	}
	if n := len(got["para_3"]); n != 7 {
		t.Errorf("paragraph 3 makes seven demands; proposed %d", n)
	}
	// Recitals report (recital K: "called for his release"); paragraph 10 instructs; neither demands.
	for eid, ps := range got {
		if strings.HasPrefix(eid, "rec_") || strings.HasPrefix(eid, "cit_") || eid == "para_10" {
			if len(ps) > 0 {
				t.Errorf("%s is not a demand, but %d proposed: %q", eid, len(ps), ps[0].Demand.Wording)
			}
		}
	}
}

// The synthetic 2022 text: "calls for" inside a sentence, and "Calls on the authorities
// of Kazakhstan to:" whose points each demand.
func TestProposedDemandsInPointsAndCallsFor(t *testing.T) {
	_, ents := seedData(t)
	text, err := os.ReadFile("testdata/synthetic-2022-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := importer.Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	pv := importer.BuildPreview(p, importer.Known{Linker: linker.New(ents, nil)}, nil, nil, nil)
	got := proposals(pv)
	check := func(eid string, action tracker.DemandAction, wording string, targets ...string) {
		t.Helper()
		if len(got[eid]) != 1 {
			t.Fatalf("%s: %d proposals, want 1", eid, len(got[eid]))
		}
		d := got[eid][0].Demand
		if d.Action != action || d.Wording != wording || !slices.Equal(targetSlugs(d), targets) {
			t.Errorf("%s: %s %q %q; want %s %q %q", eid, d.Action, d.Wording, targetSlugs(d), action, wording, targets)
		}
	}
	check("para_1", "investigate", "calls for an independent international investigation")
	check("para_2__point_a", "release", "release Galym Ageleuov and Dariga Sultanbekova immediately and unconditionally")
	check("para_2__point_b", "lift_restrictions", "lift the restrictions imposed on Max Bokayev", "person/max-bokayev")
	check("para_2__point_c", "amend_or_repeal_law", "repeal Criminal Code article 174", "legal_provision/criminal-code-article-174")
	if len(got["para_2"]) != 0 || len(got["para_3"]) != 0 {
		t.Errorf("the lead-in and the instruction are not demands: %v %v", got["para_2"], got["para_3"])
	}
	// A link turned down is no target; the person created from a candidate is.
	var bokayev string
	for _, c := range pv.Clauses {
		if c.Clause.EID == "para_2__point_b" {
			bokayev = c.Links[0].Key
		}
	}
	rec := importer.Record{Rejected: []string{bokayev}, NewEntities: []importer.NewEntity{{Type: tracker.PersonEntity, Slug: "galym-ageleuov", Name: "Galym Ageleuov"}}}
	pv = rec.Preview(p, importer.Known{Linker: linker.New(append(ents, linker.Entity{Type: tracker.PersonEntity, Slug: "galym-ageleuov", Name: "Galym Ageleuov"}), nil)})
	got = proposals(pv)
	if ts := targetSlugs(got["para_2__point_b"][0].Demand); len(ts) != 0 {
		t.Errorf("targets after turning the link down = %q", ts)
	}
	if ts := targetSlugs(got["para_2__point_a"][0].Demand); !slices.Equal(ts, []string{"person/galym-ageleuov"}) {
		t.Errorf("targets after creating Galym Ageleuov = %q", ts)
	}
}

func TestDemandPhrasesTriggers(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Demands the immediate and unconditional release of Max Bokayev;", []string{"Demands the immediate and unconditional release of Max Bokayev"}},
		{"Insists on an end to the harassment of journalists;", []string{"Insists on an end to the harassment of journalists"}},
		{"Asks the Commission to monitor the trials and to report back to Parliament;", []string{"monitor the trials and to report back to Parliament"}},
		{"Urges the authorities, in line with their commitments to the OSCE, to release all political prisoners;", []string{"release all political prisoners"}},
		{"Welcomes the release of Max Bokayev; regrets that the authorities have not reviewed the law;", nil},
		{"Notes the demands of the protesters and their calls for reform;", nil},
	} {
		var got []string
		for _, ph := range importer.DemandPhrases(tc.text, false) {
			got = append(got, ph.Wording)
			if tc.text[ph.Start:ph.End] != ph.Wording {
				t.Errorf("%q: span %q is not the wording %q", tc.text, tc.text[ph.Start:ph.End], ph.Wording)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: phrases %q, want %q", tc.text, got, tc.want)
		}
	}
	if a := importer.ActionFor("Demands the immediate and unconditional release of Max Bokayev"); a != "release" {
		t.Errorf("action of a release demand = %s", a)
	}
}

// Every decision is applied at once; a proposal accepted with words not in its clause is
// refused beside its fields and nothing changes.
func TestApplyDecisions(t *testing.T) {
	clauses := []tracker.Clause{{EID: "para_1", Kind: tracker.Paragraph, Text: "Urges the government to release Max Bokayev and quash his conviction;"}}
	rec := importer.Record{
		Rejected:        []string{"old-link"},
		RejectedDemands: []string{"para_1@47"},
		Demands:         []importer.NewDemand{{Clause: "para_1", Action: "other", Wording: "release Max Bokayev"}},
	}
	errs := rec.Apply(importer.Decisions{
		RejectedLinks: []string{"b", "a", "b"},
		Proposals: []importer.ProposalDecision{
			{Key: "para_1@23", Decision: importer.Accept, Demand: importer.NewDemand{Action: "release", Wording: " release  Max Bokayev "}},
			{Key: "para_1@47", Decision: ""},
		},
	}, clauses)
	if errs.Any() {
		t.Fatalf("refused: %v", errs)
	}
	if !slices.Equal(rec.Rejected, []string{"a", "b"}) || len(rec.RejectedDemands) != 0 || len(rec.Demands) != 2 {
		t.Fatalf("after applying: %+v", rec)
	}
	if d := rec.Demands[1]; d.Proposal != "para_1@23" || d.Clause != "para_1" || d.Wording != "release Max Bokayev" || d.Action != "release" {
		t.Errorf("accepted proposal stored as %+v", d)
	}
	// Rejecting it afterwards takes the demand back.
	rec.Apply(importer.Decisions{RejectedLinks: rec.Rejected, Proposals: []importer.ProposalDecision{{Key: "para_1@23", Decision: importer.Reject}}}, clauses)
	if len(rec.Demands) != 1 || !slices.Equal(rec.RejectedDemands, []string{"para_1@23"}) {
		t.Errorf("after rejecting: %+v", rec)
	}
	before := rec
	errs = rec.Apply(importer.Decisions{Proposals: []importer.ProposalDecision{{Key: "para_1@23", Decision: importer.Accept, Demand: importer.NewDemand{Action: "release", Wording: "free everyone"}}}}, clauses)
	if errs["para_1@23/wording"] == "" || !slices.Equal(rec.Rejected, before.Rejected) || len(rec.Demands) != 1 {
		t.Errorf("words not in the clause: errors %v, record %+v", errs, rec)
	}
}

// Candidates come with the role and place their cue gives.
func TestCandidateRoleAndPlace(t *testing.T) {
	ds, _ := seedData(t)
	synthetic, _ := os.ReadFile("testdata/synthetic-2022-kazakhstan.txt")
	extra := "European Parliament resolution of 1 June 2023 on a test (2023/2001(RSP))\nThe European Parliament,\nA.\twhereas trade union leader Erlan Kuanyshev from Almaty was detained in May 2023;\nB.\twhereas Mr Oraz Serikbay, a lawyer from Aktau, was disbarred;\n1.\tCalls for their release;\n"
	want := map[string][2]string{
		"Max Bokayev":         {"civil society activist", ""},
		"Nurbek Kushakbaev":   {"trade union activist", ""},
		"Erlan Baltabay":      {"trade union activist", "Shymkent"},
		"Ardak Ashim":         {"activist", "Shymkent"},
		"Aset Mataev":         {"journalist", ""},
		"Iskander Yerimbetov": {"", ""},
		"Galym Ageleuov":      {"human rights defender", ""},
		"Dariga Sultanbekova": {"blogger", ""},
		"Erlan Kuanyshev":     {"trade union leader", "Almaty"},
		"Oraz Serikbay":       {"lawyer", "Aktau"},
	}
	seen := map[string]bool{}
	for _, text := range []string{ds.Resolution.SourceText, string(synthetic), extra} {
		p, err := importer.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range importer.BuildPreview(p, importer.Known{Linker: linker.New(nil, nil)}, nil, nil, nil).Candidates {
			if w, ok := want[c.Name]; ok {
				seen[c.Name] = true
				if c.Role != w[0] || c.Place != w[1] {
					t.Errorf("%s: role %q, place %q; want %q, %q", c.Name, c.Role, c.Place, w[0], w[1])
				}
			}
		}
	}
	for n := range want {
		if !seen[n] {
			t.Errorf("%s is not a candidate", n)
		}
	}
}
