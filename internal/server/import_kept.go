package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// The review page is one form: every button sends every field, and what was typed in the
// parts an action does not use (the other creation forms, the add-a-demand form) comes
// back on the page the action leads to: re-rendered at once when the action is refused,
// or kept in the session for the next page after a save (POST/redirect/GET), once.

// maxKeptBytes bounds what the session keeps of a page's typed text: the forms of 100
// candidates, typed in at length, fit.
const maxKeptBytes = 256 << 10

// keptKey is the session key of what was typed on draft id's review page, for its next view.
func keptKey(id int64) string { return "import-kept-" + strconv.FormatInt(id, 10) }

// entityField matches the fields of a creation form: "cand-N-name", "new-aliases"…
var entityField = regexp.MustCompile(`^(cand-[0-9]+|new)-(type|name|aliases|role|place|for)$`)

// demandFields are the add-a-demand form's fields, with its target picker's.
var demandFields = []string{"clause", "action", "wording", "target", "target_type", web.TargetPickerName, web.TargetPickerName + "_names"}

// keptInput is what the review form sent in its creation forms and its add-a-demand form,
// leaving out the part except names ("cand-N", "new" or "demand"): the one the action used.
func keptInput(r *http.Request, except string) url.Values {
	kept := url.Values{}
	for k, vs := range r.PostForm {
		if m := entityField.FindStringSubmatch(k); m != nil && m[1] != except {
			kept[k] = vs
		}
	}
	if except != "demand" {
		for _, k := range demandFields {
			if vs, ok := r.PostForm[k]; ok {
				kept[k] = vs
			}
		}
		// Names asked about are kept as typed, to be settled again.
		for _, ask := range r.PostForm[web.TargetPickerName+"_ask"] {
			kept.Add(web.TargetPickerName+"_names", ask)
		}
	}
	return kept
}

// demandFrom reads the add-a-demand form from v; its targets are the ticked records the
// text links (the records picked by name are read by readTargetPicker).
func demandFrom(v url.Values) importer.NewDemand {
	return importer.NewDemand{Clause: v.Get("clause"), Action: tracker.DemandAction(v.Get("action")), Wording: v.Get("wording"),
		Targets: targetRefs(v["target"])}
}

// targetType is the kind of record the add-a-demand form's picker names.
func targetType(v url.Values) tracker.EntityType {
	if t, ok := tracker.ParseSuggestType(v.Get("target_type")); ok {
		return t
	}
	return tracker.PersonEntity
}

// showKept puts what was typed back on the review page's form f: each creation form kept
// (a candidate's by the candidate's name, as the list shortens when one is created), and
// the add-a-demand form unless f holds its input.
func (s *Server) showKept(ctx context.Context, f *web.ReviewForms, kept url.Values) error {
	for k := range kept {
		if m := entityField.FindStringSubmatch(k); m != nil && m[2] == "name" {
			at := m[1]
			field := func(name string) string { return kept.Get(at + "-" + name) }
			if f.KeptEntities == nil {
				f.KeptEntities = map[string]web.KeptEntity{}
			}
			f.KeptEntities[web.KeptEntityKey(field("for"))] = web.KeptEntity{Aliases: field("aliases"),
				Entity: importer.NewEntity{Type: tracker.EntityType(field("type")), Name: field("name"), Role: field("role"), Place: field("place")}}
		}
	}
	if _, ok := kept["clause"]; ok && f.TargetPicker.Name == "" {
		f.Demand = demandFrom(kept)
		t := targetType(kept)
		var slugs []string
		for _, v := range kept[web.TargetPickerName] {
			slugs = append(slugs, tracker.SplitLines(v)...)
		}
		recs, err := s.db.Records(ctx, t, slugs)
		if err != nil {
			return err
		}
		f.TargetPicker = web.NewTargetPicker(t, recs, nil)
		f.TargetPicker.Typed = strings.Join(kept[web.TargetPickerName+"_names"], "\n")
	}
	return nil
}

// readTargetPicker settles the add-a-demand form's picker into more targets of nd, and
// keeps it for the form, as sent, on f; it reports what is still to do in it ("" when
// nothing is).
func (s *Server) readTargetPicker(r *http.Request, nd *importer.NewDemand, f *web.ReviewForms) (string, error) {
	t := targetType(r.PostForm)
	got, err := s.readPicker(r.Context(), r, web.TargetPickerName, t)
	if err != nil {
		return "", err
	}
	f.TargetPicker = web.NewTargetPicker(t, nil, &got)
	for _, c := range got.Chosen {
		ref := tracker.EntityRef{Type: c.Type, Slug: c.Slug, Name: c.Name}
		if !web.HasTarget(*nd, ref) {
			nd.Targets = append(nd.Targets, ref)
		}
	}
	return got.Problem(t.Noun()), nil
}
