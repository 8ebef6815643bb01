package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

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
	rs, err := s.db.Resolutions(r.Context())
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ResolutionsPage(rs))
}

func (s *Server) handleResolution(w http.ResponseWriter, r *http.Request) error {
	res, err := s.db.Resolution(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ResolutionPage(res))
}

// indexPages are the index pages' navigation keys, titles and introductions.
var indexPages = map[tracker.EntityType]struct{ section, title, intro string }{
	tracker.PersonEntity:         {"people", "People", "Everyone the resolutions name: activists, trade unionists, journalists and others, with the current status of their cases."},
	tracker.OrganisationEntity:   {"organisations", "Organisations", "Unions, movements, newsrooms, state bodies and international mechanisms the resolutions name."},
	tracker.LegalProvisionEntity: {"legal-provisions", "Laws and articles", "The laws and criminal code articles the resolutions name, most of them used against the people on this site."},
	tracker.CaseEntity:           {"cases", "Cases", "Each legal matter of a person or organisation, with its current status and dated, sourced history."},
}

func (s *Server) handleIndex(t tracker.EntityType) handlerFunc {
	page := indexPages[t]
	return func(w http.ResponseWriter, r *http.Request) error {
		items, err := s.db.Summaries(r.Context(), t)
		if err != nil {
			return err
		}
		return render(r.Context(), w, http.StatusOK, web.IndexPage(page.section, page.title, page.intro, items))
	}
}

func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Person(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.PersonPage(d))
}

func (s *Server) handleOrganisation(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Organisation(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.OrganisationPage(d))
}

func (s *Server) handleLegalProvision(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.LegalProvision(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.LegalProvisionPage(d))
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Case(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.CasePage(d))
}
