package server

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/akn"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	o, err := s.db.Overview(r.Context())
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.HomePage(o))
}

func (s *Server) handleResolutions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageParam(r, "", resolutionsPageSize, resolutionsPageSize)
	if err != nil {
		return err
	}
	rs, total, err := s.db.Resolutions(r.Context(), p)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ResolutionsPage(rs, web.Pager{Path: r.URL.Path, Page: p, Total: total}))
}

func (s *Server) handleResolution(w http.ResponseWriter, r *http.Request) error {
	res, people, err := s.db.ResolutionPage(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	ctx, err := s.watchContext(r, tracker.WatchResolution, res.Slug, false)
	if err != nil {
		return err
	}
	return render(ctx, w, http.StatusOK, web.ResolutionPage(res, people))
}

// indexPages are the index pages' navigation keys and the catalog keys of their titles and
// introductions (web/locales/*/index.toml).
var indexPages = map[tracker.EntityType]struct{ section, title, intro string }{
	tracker.PersonEntity:         {"people", "index.people_title", "index.people_intro"},
	tracker.OrganisationEntity:   {"organisations", "index.organisations_title", "index.organisations_intro"},
	tracker.LegalProvisionEntity: {"legal-provisions", "index.legal_provisions_title", "index.legal_provisions_intro"},
	tracker.CaseEntity:           {"cases", "index.cases_title", "index.cases_intro"},
}

func (s *Server) handleIndex(t tracker.EntityType) handlerFunc {
	page := indexPages[t]
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := pageParam(r, "", htmlPageSize, htmlPageSize)
		if err != nil {
			return err
		}
		if t == tracker.PersonEntity || t == tracker.CaseEntity {
			f := tracker.FilterFromQuery(r.URL.Query())
			items, total, facets, err := s.db.FilteredSummaries(r.Context(), t, f, p)
			if err != nil {
				return err
			}
			return render(r.Context(), w, http.StatusOK, web.IndexPage(page.section, web.T(r.Context(), page.title), web.T(r.Context(), page.intro), items,
				web.Pager{Path: r.URL.Path, Page: p, Total: total, Filter: f}, facets))
		}
		items, total, err := s.db.Summaries(r.Context(), t, p)
		if err != nil {
			return err
		}
		return render(r.Context(), w, http.StatusOK, web.IndexPage(page.section, web.T(r.Context(), page.title), web.T(r.Context(), page.intro), items,
			web.Pager{Path: r.URL.Path, Page: p, Total: total}, nil))
	}
}

// htmlPageSize is how many records an index page shows at once.
const htmlPageSize = 50

// resolutionsPageSize is how many resolutions a page lists: each card counts its clauses,
// people and demands.
const resolutionsPageSize = 20

// pageParam reads ?page= (and, where sizeName is not "", a page size capped at maxSize).
// A value that is not a positive whole number is refused with a message saying so.
func pageParam(r *http.Request, sizeName string, defSize, maxSize int) (tracker.Page, error) {
	p := tracker.Page{Number: 1, Size: defSize}
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return p, tracker.Errorf(tracker.EINVALID, "page must be a whole number from 1 up, not %q.", tracker.Shorten(v, 21))
		}
		p.Number = n
	}
	if sizeName != "" {
		if v := q.Get(sizeName); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxSize {
				return p, tracker.Errorf(tracker.EINVALID, "%s must be a whole number from 1 to %d, not %q.", sizeName, maxSize, tracker.Shorten(v, 21))
			}
			p.Size = n
		}
	}
	return p, nil
}

func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request) error {
	d, err := s.personDetail(r, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	ctx, err := s.watchContext(r, tracker.WatchPerson, d.Person.Slug, d.Person.Retirement.Retired())
	if err != nil {
		return err
	}
	return render(ctx, w, http.StatusOK, web.PersonPage(d, web.Files{List: d.Attachments}))
}

// personDetail reads what a person's page shows: 410 for the public once retired; the
// files the asker may see; the audit trail for admins.
func (s *Server) personDetail(r *http.Request, slug string) (tracker.PersonDetail, error) {
	d, err := s.db.Person(r.Context(), slug)
	if err != nil {
		return d, err
	}
	if err := goneForPublic(r.Context(), d.Person.Retirement, tracker.PersonEntity); err != nil {
		return d, err
	}
	if d.Attachments, err = s.attachments(r.Context(), postgres.AttachmentsOf{Person: slug}); err != nil {
		return d, err
	}
	d.History, err = s.historyFor(r, "person", d.Person.Slug)
	return d, err
}

func (s *Server) handleOrganisation(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Organisation(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	if err := goneForPublic(r.Context(), d.Organisation.Retirement, tracker.OrganisationEntity); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.OrganisationPage(d))
}

func (s *Server) handleLegalProvision(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.LegalProvision(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	if err := goneForPublic(r.Context(), d.LegalProvision.Retirement, tracker.LegalProvisionEntity); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.LegalProvisionPage(d))
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) error {
	d, err := s.caseDetail(r, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	var form *web.StatusForm
	if currentUser(r.Context()) != nil {
		form = newStatusForm(d)
	}
	ctx, err := s.watchContext(r, tracker.WatchCase, d.Case.Slug, d.Case.Retirement.Retired())
	if err != nil {
		return err
	}
	return render(ctx, w, http.StatusOK, web.CasePage(d, form, web.Files{List: d.Attachments}))
}

// caseDetail reads what a case's page shows: 410 for the public once retired; the files of
// the case and its status entries the asker may see; the audit trail for admins.
func (s *Server) caseDetail(r *http.Request, slug string) (tracker.CaseDetail, error) {
	d, err := s.db.Case(r.Context(), slug)
	if err != nil {
		return d, err
	}
	if err := goneForPublic(r.Context(), d.Case.Retirement, tracker.CaseEntity); err != nil {
		return d, err
	}
	if d.Attachments, err = s.attachments(r.Context(), postgres.AttachmentsOf{Case: slug}); err != nil {
		return d, err
	}
	d.History, err = s.historyFor(r, "case", d.Case.Slug)
	return d, err
}

// historyFor reads a record's audit trail when an admin is looking, and nothing otherwise.
func (s *Server) historyFor(r *http.Request, entityType, slug string) ([]tracker.AuditEntry, error) {
	if u := currentUser(r.Context()); u == nil || u.Role != tracker.RoleAdmin {
		return nil, nil
	}
	return s.db.Activity(r.Context(), entityType, slug, 100)
}

// handleAkomaNtoso exports a resolution as Akoma Ntoso XML, with its links marked up.
func (s *Server) handleAkomaNtoso(w http.ResponseWriter, r *http.Request) error {
	res, err := s.db.Resolution(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := akn.Encode(&b, res); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/akn+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+res.Slug+`.akn.xml"`)
	_, err = w.Write(b.Bytes())
	return err
}
