package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// baseURL is the site's address for absolute links in exports: WHEREAS_PUBLIC_URL when
// set, otherwise the address the request came to.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// dossierProfile reads ?profile=: internal dossiers are for signed-in staff only.
func dossierProfile(r *http.Request) (dossier.Profile, error) {
	switch r.URL.Query().Get("profile") {
	case "", "public":
		return dossier.Public, nil
	case "internal":
		if currentUser(r.Context()) == nil {
			return "", tracker.Errorf(tracker.EUNAUTHORIZED, "The internal dossier is for signed-in staff only.")
		}
		return dossier.Internal, nil
	}
	return "", tracker.Errorf(tracker.EINVALID, "profile must be public or internal.")
}

// buildDossier reads a person and builds their dossier in the requested profile.
func (s *Server) buildDossier(ctx context.Context, r *http.Request, slug string, profile dossier.Profile) (dossier.Dossier, error) {
	d, err := s.db.DossierPerson(ctx, slug)
	if err != nil {
		return dossier.Dossier{}, err
	}
	if err := goneForPublic(r.Context(), d.Person.Retirement, tracker.PersonEntity); err != nil {
		return dossier.Dossier{}, err
	}
	changedAt := s.db.DataChangedAt
	if profile == dossier.Internal {
		changedAt = s.db.StaffDataChangedAt
	}
	changed, err := changedAt(ctx)
	if err != nil {
		return dossier.Dossier{}, err
	}
	return dossier.Build(d, profile, s.baseURL(r), changed, time.Now(), dossierWords(ctx)), nil
}

// dossierWords are the words of the request's language (web.Lang: ?lang=, the cookie,
// Accept-Language) that its dossiers are written in.
func dossierWords(ctx context.Context) dossier.Words {
	return dossier.Words{Lang: web.Lang(ctx), Catalog: web.Catalog()}
}

// handleDossier serves one format of a person's dossier.
func (s *Server) handleDossier(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		profile, err := dossierProfile(r)
		if err != nil {
			return err
		}
		slug := chi.URLParam(r, "slug")
		d, err := s.buildDossier(r.Context(), r, slug, profile)
		if err != nil {
			return err
		}
		name := "dossier-" + slug
		// Made afresh on every request, so "generated at" is now: kept by no one.
		w.Header().Set("Cache-Control", "no-cache")
		if profile == dossier.Internal {
			name += "-internal"
			w.Header().Set("Cache-Control", "private, no-store")
		}
		switch format {
		case "html":
			return render(r.Context(), w, http.StatusOK, web.DossierPage(d, ""))
		case "json":
			b, err := d.JSON()
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Disposition", `inline; filename="`+name+`.json"`)
			_, err = w.Write(b)
			return err
		case "md":
			w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
			w.Header().Set("Content-Disposition", `inline; filename="`+name+`.md"`)
			_, err := w.Write(d.Markdown())
			return err
		}
		var buf bytes.Buffer
		if err := d.PDF(&buf); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		_, err = buf.WriteTo(w)
		return err
	}
}

// handleDossiersZip serves every person's public dossier as PDF and JSON in one zip, in the
// request's language, built whole into a file first (see export.go) and kept, one per
// language, until the data changes.
func (s *Server) handleDossiersZip(w http.ResponseWriter, r *http.Request) error {
	base, words := s.baseURL(r), dossierWords(r.Context())
	return s.serveExport(w, r, export{name: "dossiers", ext: "zip", contentType: "application/zip", profile: dossier.Public, lang: words.Lang,
		write: func(ctx context.Context, w io.Writer) error { return s.writeDossiersZip(ctx, w, base, words) }},
		"whereas-dossiers-"+time.Now().UTC().Format("2006-01-02")+".zip")
}

// writeDossiersZip writes the zip of every person's public dossier. People are read a
// page at a time; as many dossiers are made at once as there are cores, and written in
// order as each is ready, so memory stays flat however many people there are.
func (s *Server) writeDossiersZip(ctx context.Context, w io.Writer, base string, words dossier.Words) error {
	changed, err := s.db.DataChangedAt(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type made struct {
		slug     string
		pdf, js  []byte
		err      error
		finished chan struct{}
	}
	// queue holds the people being made, in order; its size bounds how many are in memory.
	workers := runtime.GOMAXPROCS(0)
	queue := make(chan *made, 2*workers)
	sem := make(chan struct{}, workers)
	listed := make(chan error, 1)
	go func() {
		defer close(queue)
		listed <- s.db.PersonSlugs(ctx, func(slug string) error {
			m := &made{slug: slug, finished: make(chan struct{})}
			select {
			case queue <- m:
			case <-ctx.Done():
				return ctx.Err()
			}
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; close(m.finished) }()
				pd, err := s.db.DossierPerson(ctx, slug)
				if err != nil {
					m.err = err
					return
				}
				d := dossier.Build(pd, dossier.Public, base, changed, time.Now(), words)
				var pdf bytes.Buffer
				if m.err = d.PDF(&pdf); m.err == nil {
					m.pdf = pdf.Bytes()
					m.js, m.err = d.JSON()
				}
			}()
			return nil
		})
	}()
	zw := zip.NewWriter(w)
	for m := range queue {
		<-m.finished
		if m.err != nil {
			cancel()
			for range queue { // let the lister and the makers finish
			}
			return m.err
		}
		for _, e := range []struct {
			name string
			body []byte
		}{{m.slug + ".pdf", m.pdf}, {m.slug + ".json", m.js}} {
			f, err := zw.Create(e.name)
			if err == nil {
				_, err = f.Write(e.body)
			}
			if err != nil {
				cancel()
				for range queue {
				}
				return err
			}
		}
	}
	if err := <-listed; err != nil {
		return err
	}
	return zw.Close()
}

// handleCSV serves one row per person or case with its address, current status and the
// clauses citing it, built whole into a file first (see export.go). It takes the filters of
// the index page it is linked from, read by the same code (tracker.FilterFromQuery); the
// sort and the page are the page's own business and are ignored.
func (s *Server) handleCSV(t tracker.EntityType) handlerFunc {
	name := map[tracker.EntityType]string{tracker.PersonEntity: "people", tracker.CaseEntity: "cases"}[t]
	return func(w http.ResponseWriter, r *http.Request) error {
		base := s.baseURL(r)
		f := tracker.FilterFromQuery(r.URL.Query()).With("sort", "")
		if t == tracker.CaseEntity {
			f.Role, f.Place = "", "" // the cases page has no such filters
		}
		if err := f.Validate(); err != nil {
			return err
		}
		return s.serveExport(w, r, export{name: name, ext: "csv", contentType: "text/csv; charset=utf-8", profile: dossier.Public,
			variant: f.Query().Encode(),
			write:   func(ctx context.Context, w io.Writer) error { return s.writeCSV(ctx, w, t, f, base) }},
			name+".csv")
	}
}

// caseFactColumns are the columns cases.csv adds for each case's facts.
var caseFactColumns = []string{"detained_on", "charges", "court", "case_number", "verdict_on", "sentence", "sentence_months",
	"release_due_on", "next_hearing_on", "facility"}

// factCells are a case's facts as cases.csv writes them: dates YYYY-MM-DD, charges in words
// separated by "; ", unknown facts empty. The facility is there only where staff made it public.
func factCells(f tracker.Facts) []string {
	facts := dossier.FactsOf(f, false, "")
	text := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	charges := make([]string, len(f.Charges))
	for i, c := range f.Charges {
		charges[i] = c.Text()
	}
	months := ""
	if f.SentenceMonths != nil {
		months = strconv.Itoa(*f.SentenceMonths)
	}
	return []string{text(facts.DetainedOn), strings.Join(charges, "; "), text(facts.Court), text(facts.CaseNumber), text(facts.VerdictOn),
		text(facts.Sentence), months, text(facts.ReleaseDueOn), text(facts.NextHearingOn), text(facts.Facility)}
}

// writeCSV writes the CSV of people or cases; cases add their facts.
func (s *Server) writeCSV(ctx context.Context, w io.Writer, t tracker.EntityType, f tracker.Filter, base string) error {
	cw := csv.NewWriter(w)
	header := []string{"slug", "name", "url", "current_status", "current_status_label", "current_status_since", "current_status_dated_by", "clauses"}
	if t == tracker.PersonEntity {
		header = append(header, "role", "place")
	}
	if t == tracker.CaseEntity {
		header = append(header, caseFactColumns...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := s.db.CSVRows(ctx, t, f, func(r postgres.CSVRow) error {
		label, since := "", ""
		if r.Status != "" {
			label = tracker.Status(r.Status).Label()
		}
		if !r.Since.IsZero() {
			since = r.Since.String()
		}
		cells := []string{r.Slug, r.Name, base + t.Path(r.Slug), r.Status, label, since, r.DatedBy, r.Clauses}
		if t == tracker.PersonEntity {
			cells = append(cells, r.Role, r.Place)
		}
		if t == tracker.CaseEntity {
			cells = append(cells, factCells(r.Facts)...)
		}
		return cw.Write(csvCells(cells...))
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return err
}

// csvCells makes cells safe to open in a spreadsheet: one that begins with =, +, -, @, a
// tab or a carriage return would be read as a formula, so it is written as text, with a
// leading apostrophe, as OWASP advises against CSV injection.
func csvCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
