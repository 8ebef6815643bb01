package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// readPicker reads back a picker field (web.PickerField) named name from a posted form and
// settles its typed names to records of type t. The records it holds come as slugs under
// name (also one per line, as API clients and the old forms sent them); the names typed
// come under name+"_names", one per line (or separated by ";", as the script sends several);
// and the names asked about last time come under name+"_ask", each with its choice under
// name+"_pick_N" ("-" leaves the name out). A name that is the slug of a record, or names
// exactly one (tracker.PickFrom), is taken; otherwise it is asked about again or reported
// as matching nothing.
func (s *Server) readPicker(ctx context.Context, r *http.Request, name string, t tracker.EntityType) (tracker.PickField, error) {
	var f tracker.PickField
	var slugs []string
	for _, v := range r.PostForm[name] {
		slugs = append(slugs, tracker.SplitLines(v)...)
	}
	var typed []string
	for i, ask := range r.PostForm[name+"_ask"] {
		switch choice := r.PostFormValue(name + "_pick_" + strconv.Itoa(i)); choice {
		case "-":
		case "":
			typed = append(typed, ask) // not chosen yet: asked again
		default:
			slugs = append(slugs, choice)
		}
	}
	found, err := s.db.Records(ctx, t, slugs)
	if err != nil {
		return f, err
	}
	known := map[string]tracker.Suggestion{}
	for _, rec := range found {
		known[rec.Slug] = rec
	}
	for _, slug := range slugs {
		if rec, ok := known[slug]; ok {
			f.Add(rec)
		} else {
			typed = append(typed, slug) // no such record: read it as a name
		}
	}
	for _, v := range r.PostForm[name+"_names"] {
		typed = append(typed, tracker.SplitLines(strings.ReplaceAll(v, ";", "\n"))...)
	}
	for _, line := range typed {
		if tracker.ValidSlug(line) {
			recs, err := s.db.Records(ctx, t, []string{line})
			if err != nil {
				return f, err
			}
			if len(recs) == 1 {
				f.Add(recs[0])
				continue
			}
		}
		sugg, err := s.db.Suggest(ctx, t, line)
		if err != nil {
			return f, err
		}
		switch p := tracker.PickFrom(line, sugg); {
		case p.Chosen != nil:
			f.Add(*p.Chosen)
		case len(p.Choices) > 0:
			f.Asks = append(f.Asks, p)
		default:
			f.Absent = append(f.Absent, line)
		}
	}
	return f, nil
}

// pickerOf is the picker field showing the records of type t with the given slugs, as an
// edit form opens (or reopens after a conflict) with them.
func (s *Server) pickerOf(ctx context.Context, name, label, noun string, t tracker.EntityType, slugs []string) (web.PickerField, error) {
	recs, err := s.db.Records(ctx, t, slugs)
	return web.NewPicker(name, label, noun, t, recs, nil), err
}
