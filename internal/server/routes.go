package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// recordTypes are the kinds of record staff create, retire and restore.
var recordTypes = []tracker.EntityType{tracker.PersonEntity, tracker.CaseEntity, tracker.OrganisationEntity, tracker.LegalProvisionEntity}

// routes is the whole HTTP surface of Whereas, in one place.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.requestID, s.logRequests, s.recoverPanics, s.securityHeaders, s.limitBody, s.timeout, s.siteAddress, s.chooseLanguage)
	// Every state-changing request must come from this site (Sec-Fetch-Site / Origin);
	// cross-site form posts are refused before any handler runs.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.forbiddenCrossOrigin))
	r.Use(cop.Handler)
	// A NUL byte or invalid UTF-8 in the path, query or a form is a 400 here, not a 500 later.
	r.Use(s.validInput)
	// HEAD is answered wherever GET is (monitors probe /healthz and /readyz with it); the
	// server sends the headers and drops the body.
	r.Use(middleware.GetHead)
	r.Use(guardSessions, s.sessions.LoadAndSave, s.identify)
	// Anonymous reads may go to a read replica; a write leaves its WAL position (replicas.go).
	r.Use(s.chooseReads)

	r.Get("/healthz", s.handleHealthz)
	if !s.opts.MetricsApart {
		r.Method(http.MethodGet, "/metrics", s.metrics.handler())
	}
	r.Get("/readyz", s.handleReadyz)
	r.Handle("/static/*", staticFiles(web.Static))
	if s.opts.TestEndpoints {
		r.Get("/_test/select1", s.handle(s.handleSelect1))
		r.Get("/_test/sleep", s.handle(s.handleSleep))
	}

	// Public pages and API answers: served from the page cache while the data is unchanged.
	r.Group(func(r chi.Router) {
		r.Use(s.cachePages)
		r.Get("/", s.handle(s.handleHome))
		r.Get("/search", s.handle(s.handleSearch))
		r.Get("/resolutions", s.handle(s.handleResolutions))
		r.Get("/resolutions/{slug}", s.handle(s.handleResolution))
		r.Get("/resolutions/{slug}.akn.xml", s.handle(s.handleAkomaNtoso))
		// Atom feeds (changes.go): chi matches "{slug}.atom" before "{slug}", as it does
		// "{slug}.akn.xml", so a slug never ends in ".atom" (slugs hold no dot).
		r.Get("/resolutions/{slug}.atom", s.handle(s.handleRecordFeed(postgres.ResolutionSubject)))
		r.Get("/people/{slug}.atom", s.handle(s.handleRecordFeed(tracker.PersonEntity)))
		r.Get("/cases/{slug}.atom", s.handle(s.handleRecordFeed(tracker.CaseEntity)))
		r.Get("/changes", s.handle(s.handleChanges))
		r.Get("/changes.atom", s.handle(s.handleChangesFeed))
		r.Get("/resolutions/{slug}/scoreboard", s.handle(s.handleScoreboard))
		r.Get("/resolutions/{slug}/compare/{other}", s.handle(s.handleCompare))
		r.Get("/resolutions/{slug}/scoreboard.csv", s.handle(s.handleScoreboardCSV))
		r.Get("/demands/{slug}", s.handle(s.handleDemand))
		r.Get("/people", s.handle(s.handleIndex(tracker.PersonEntity)))
		r.Get("/people/{slug}", s.handle(s.handlePerson))
		r.Get("/organisations", s.handle(s.handleIndex(tracker.OrganisationEntity)))
		r.Get("/organisations/{slug}", s.handle(s.handleOrganisation))
		r.Get("/legal-provisions", s.handle(s.handleIndex(tracker.LegalProvisionEntity)))
		r.Get("/legal-provisions/{slug}", s.handle(s.handleLegalProvision))
		r.Get("/cases", s.handle(s.handleIndex(tracker.CaseEntity)))
		r.Get("/cases/{slug}", s.handle(s.handleCase))

		r.Route("/api/v1", func(r chi.Router) {
			r.Get("/search", s.handle(s.apiSearch))
			r.Get("/changes", s.handle(s.apiChanges))
			r.Get("/resolutions", s.handle(s.apiResolutions))
			r.Get("/resolutions/{slug}", s.handle(s.apiResolution))
			r.Get("/resolutions/{slug}/demands", s.handle(s.apiDemands))
			r.Get("/demands/{slug}", s.handle(s.apiDemand))
			r.Get("/people", s.handle(s.apiList(tracker.PersonEntity)))
			r.Get("/people/{slug}", s.handle(s.apiGet(tracker.PersonEntity)))
			r.Get("/organisations", s.handle(s.apiList(tracker.OrganisationEntity)))
			r.Get("/organisations/{slug}", s.handle(s.apiGet(tracker.OrganisationEntity)))
			r.Get("/legal-provisions", s.handle(s.apiList(tracker.LegalProvisionEntity)))
			r.Get("/legal-provisions/{slug}", s.handle(s.apiGet(tracker.LegalProvisionEntity)))
			r.Get("/cases", s.handle(s.apiList(tracker.CaseEntity)))
			r.Get("/cases/{slug}", s.handle(s.apiGet(tracker.CaseEntity)))
		})
	})

	// Suggestions for name pickers: answered afresh, since caching every half-typed name
	// would crowd the pages out of the page cache.
	r.Get("/api/v1/suggest", s.handle(s.apiSuggest))

	// Attached files (attachments.go): served under their own time limit, like exports;
	// internal ones to staff only.
	r.With(s.exportTime).Get("/attachments/{id}/{filename}", s.handle(s.handleDownload))

	// Dossiers: always made afresh, so "generated at" is now and internal ones are never cached.
	r.Get("/people/{slug}/dossier", s.handle(s.handleDossier("html")))
	r.Get("/people/{slug}/dossier.pdf", s.handle(s.handleDossier("pdf")))
	r.Get("/people/{slug}/dossier.json", s.handle(s.handleDossier("json")))
	r.Get("/people/{slug}/dossier.md", s.handle(s.handleDossier("md")))
	// Bulk exports: built whole into a kept file under their own time limit (export.go).
	r.With(s.exportTime).Get("/dossiers.zip", s.handle(s.handleDossiersZip))
	r.With(s.exportTime).Get("/api/v1/people.csv", s.handle(s.handleCSV(tracker.PersonEntity)))
	r.With(s.exportTime).Get("/api/v1/cases.csv", s.handle(s.handleCSV(tracker.CaseEntity)))

	r.Get("/sign-in", s.handle(s.handleSignInForm))
	r.Post("/sign-in", s.handle(s.handleSignIn))
	r.Get("/sign-in/code", s.handle(s.handleSignInCodeForm))
	r.Post("/sign-in/code", s.handle(s.handleSignInCode))
	r.Post("/sign-out", s.handle(s.handleSignOut))

	// Watching by email (watch.go): visitors ask, confirm and unsubscribe without an
	// account; every link carries its own token.
	r.Post("/watch/email", s.handle(s.handleVisitorWatch))
	r.Get("/watch/confirm", s.handle(s.handleConfirmWatchForm))
	r.Post("/watch/confirm", s.handle(s.handleConfirmWatch))
	r.Get("/unsubscribe", s.handle(s.handleUnsubscribeForm))
	r.Post("/unsubscribe", s.handle(s.handleUnsubscribe))

	// Staff: editors and admins.
	r.Group(func(r chi.Router) {
		r.Use(s.requireRole(tracker.RoleEditor))
		r.Get("/staff", s.handle(s.handleDashboard))
		r.Get("/staff/queues/{queue}", s.handle(s.handleQueue))
		r.Get("/staff/tokens", s.handle(s.handleTokens))
		r.Post("/staff/tokens", s.handle(s.handleCreateToken))
		r.Post("/staff/tokens/revoke", s.handle(s.handleRevokeToken))
		r.Get("/staff/2fa", s.handle(s.handleTwoFactor))
		r.Post("/staff/2fa", s.handle(s.handleEnableTwoFactor))
		r.Post("/staff/2fa/disable", s.handle(s.handleDisableTwoFactor))
		r.Post("/staff/2fa/recovery-codes", s.handle(s.handleNewRecoveryCodes))
		r.Post("/watch", s.handle(s.handleWatch))
		r.Get("/staff/watches", s.handle(s.handleWatches))
		r.Post("/staff/watches/digest", s.handle(s.handleDigest))
		r.Post("/cases/{slug}/statuses", s.handle(s.handleAddStatus))
		r.Get("/people/{slug}/edit", s.handle(s.handleEditPersonForm))
		r.Post("/people/{slug}/edit", s.handle(s.handleEditPerson))
		r.Get("/cases/{slug}/edit", s.handle(s.handleEditCaseForm))
		r.Post("/cases/{slug}/edit", s.handle(s.handleEditCase))
		r.Get("/resolutions/{slug}/edit", s.handle(s.handleEditTextForm))
		r.Post("/resolutions/{slug}/edit", s.handle(s.handleEditText))
		r.Get("/resolutions/{slug}/carry-over", s.handle(s.handleCarryOverForm))
		r.Post("/resolutions/{slug}/carry-over", s.handle(s.handleCarryOver))
		r.Get("/resolutions/{slug}/clauses/{eid}/links", s.handle(s.handleLinks))
		r.Post("/resolutions/{slug}/clauses/{eid}/links", s.handle(s.handleAddLink))
		r.Post("/resolutions/{slug}/clauses/{eid}/links/remove", s.handle(s.handleRemoveLink))
		r.Post("/api/v1/cases/{slug}/statuses", s.handle(s.apiAddStatus))
		r.Post("/demands/{slug}/states", s.handle(s.handleAddDemandState))
		r.Post("/api/v1/demands/{slug}/states", s.handle(s.apiAddDemandState))
		// "Mark as checked today" on a status or demand state entry (checked.go).
		r.Post("/cases/{slug}/statuses/{id}/checked", s.handle(s.handleMarkChecked(statusChecks)))
		r.Post("/demands/{slug}/states/{id}/checked", s.handle(s.handleMarkChecked(stateChecks)))
		r.Post("/api/v1/cases/{slug}/statuses/{id}/checked", s.handle(s.apiMarkChecked(statusChecks)))
		r.Post("/api/v1/demands/{slug}/states/{id}/checked", s.handle(s.apiMarkChecked(stateChecks)))
		// Attaching files (attachments.go): the body, up to the upload limit, is read only
		// after the role check, under its own time limit.
		r.With(s.uploadTime).Post("/cases/{slug}/attachments", s.handle(s.handleUpload))
		r.With(s.uploadTime).Post("/cases/{slug}/statuses/{id}/attachments", s.handle(s.handleUpload))
		r.With(s.uploadTime).Post("/people/{slug}/attachments", s.handle(s.handleUpload))
		r.With(s.uploadTime).Post("/demands/{slug}/states/{id}/attachments", s.handle(s.handleUpload))
		r.With(s.uploadTime).Post("/api/v1/cases/{slug}/attachments", s.handle(s.apiUpload))
		r.With(s.uploadTime).Post("/api/v1/people/{slug}/attachments", s.handle(s.apiUpload))
		r.With(s.uploadTime).Post("/api/v1/statuses/{id}/attachments", s.handle(s.apiUpload))
		r.With(s.uploadTime).Post("/api/v1/demand-states/{id}/attachments", s.handle(s.apiUpload))
		r.Post("/attachments/{id}/remove", s.handle(s.handleRemoveAttachment))
		r.Delete("/api/v1/attachments/{id}", s.handle(s.apiRemoveAttachment))
		// PATCH and PUT alike change only the fields the body sends (README: "Editing through the API").
		r.Patch("/api/v1/people/{slug}", s.handle(s.apiEditPerson))
		r.Put("/api/v1/people/{slug}", s.handle(s.apiEditPerson))
		r.Patch("/api/v1/cases/{slug}", s.handle(s.apiEditCase))
		r.Put("/api/v1/cases/{slug}", s.handle(s.apiEditCase))
		r.Patch("/api/v1/organisations/{slug}", s.handle(s.apiEditOrganisation))
		r.Put("/api/v1/organisations/{slug}", s.handle(s.apiEditOrganisation))
		r.Patch("/api/v1/legal-provisions/{slug}", s.handle(s.apiEditLegalProvision))
		r.Put("/api/v1/legal-provisions/{slug}", s.handle(s.apiEditLegalProvision))
		// Creating records (records.go); the forms live at /{type}/new.
		r.Get("/people/new", s.handle(s.handleNewPersonForm))
		r.Post("/people/new", s.handle(s.handleCreatePerson))
		r.Get("/cases/new", s.handle(s.handleNewCaseForm))
		r.Post("/cases/new", s.handle(s.handleCreateCase))
		r.Get("/organisations/new", s.handle(handleNewNamedForm(organisations)))
		r.Post("/organisations/new", s.handle(handleCreateNamed(s, organisations)))
		r.Get("/legal-provisions/new", s.handle(handleNewNamedForm(legalProvisions)))
		r.Post("/legal-provisions/new", s.handle(handleCreateNamed(s, legalProvisions)))
		r.Post("/api/v1/people", s.handle(s.apiCreatePerson))
		r.Post("/api/v1/cases", s.handle(s.apiCreateCase))
		r.Post("/api/v1/organisations", s.handle(s.apiCreateOrganisation))
		r.Post("/api/v1/legal-provisions", s.handle(s.apiCreateLegalProvision))
		r.Get("/organisations/{slug}/edit", s.handle(handleEditNamedForm(s, organisations)))
		r.Post("/organisations/{slug}/edit", s.handle(handleEditNamed(s, organisations)))
		r.Get("/legal-provisions/{slug}/edit", s.handle(handleEditNamedForm(s, legalProvisions)))
		r.Post("/legal-provisions/{slug}/edit", s.handle(handleEditNamed(s, legalProvisions)))
		// Retiring instead of deleting: editors retire (a confirmation page first, no
		// JavaScript needed); DELETE on the API retires too.
		for _, t := range recordTypes {
			r.Get(t.Path("{slug}")+"/retire", s.handle(s.handleRetire(t)))
			r.Post(t.Path("{slug}")+"/retire", s.handle(s.handleRetire(t)))
			r.Delete("/api/v1"+t.Path("{slug}"), s.handle(s.apiSetRetired(t, true)))
		}
	})
	// Admins restore retired records.
	r.Group(func(r chi.Router) {
		r.Use(s.requireRole(tracker.RoleAdmin))
		for _, t := range recordTypes {
			r.Post(t.Path("{slug}")+"/restore", s.handle(s.handleRestore(t)))
			r.Post("/api/v1"+t.Path("{slug}")+"/restore", s.handle(s.apiSetRetired(t, false)))
		}
	})
	// Admins only.
	r.Group(func(r chi.Router) {
		r.Use(s.requireRole(tracker.RoleAdmin))
		r.Get("/admin/users", s.handle(s.handleUsers))
		r.Post("/admin/users", s.handle(s.handleAddUser))
		r.Post("/admin/users/disable", s.handle(s.handleDisableUser))
		r.Post("/admin/users/enable", s.handle(s.handleEnableUser))
		r.Post("/admin/users/password", s.handle(s.handleResetPassword))
		r.Post("/admin/users/tokens/revoke", s.handle(s.handleAdminRevokeToken))
		r.Get("/admin/activity", s.handle(s.handleActivity))
		r.Get("/admin/mail", s.handle(s.handleMailAdmin))
		r.Post("/admin/mail/visitors", s.handle(s.handleVisitorWatchSetting))
		r.Get("/admin/imports", s.handle(s.handleImports))
		r.Post("/admin/imports", s.handle(s.handleCreateImport))
		r.Get("/admin/imports/{id}", s.handle(s.handleImport))
		r.Post("/admin/imports/{id}/links", s.handle(s.handleImportLinks))
		r.Post("/admin/imports/{id}/entities", s.handle(s.handleImportEntity))
		r.Post("/admin/imports/{id}/entities/remove", s.handle(s.handleImportRemoveEntity))
		r.Post("/admin/imports/{id}/demands", s.handle(s.handleImportDemand))
		r.Post("/admin/imports/{id}/demands/remove", s.handle(s.handleImportRemoveDemand))
		r.Get("/admin/imports/{id}/check", s.handle(s.handleImportCheckPage))
		r.Post("/admin/imports/{id}/check", s.handle(s.handleImportCheck))
		r.Post("/admin/imports/{id}/publish", s.handle(s.handleImportPublish))
		r.Get("/admin/imports/{id}/discard", s.handle(s.handleImportDiscardPage))
		r.Post("/admin/imports/{id}/discard", s.handle(s.handleImportDiscard))
	})

	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return tracker.Errorf(tracker.ENOTFOUND, "There is no page at this address.")
	}))
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return tracker.Errorf(tracker.EMETHOD, "This address does not accept %s requests.", r.Method)
	}))
	return r
}
