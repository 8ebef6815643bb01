package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// personDocumentsSQL reads every attachment about a person ($1, a slug): the person's own,
// their cases', their cases' status entries' (named by the case), and the demand states'
// of the demands that target them (named by the demand). Removed files are left out, and
// so are those of retired cases, as the dossier leaves out the cases. Oldest obtained
// first, files of unknown date last.
const personDocumentsSQL = `
WITH p AS (SELECT id, slug, name FROM people WHERE slug = $1),
about AS (
  SELECT a.id, 'person' AS type, p.slug, p.name FROM p JOIN attachments a ON a.person_id = p.id
  UNION ALL
  SELECT a.id, 'case', k.slug, k.title FROM p JOIN case_people j ON j.person_id = p.id
    JOIN cases k ON k.id = j.case_id AND k.retired_at IS NULL JOIN attachments a ON a.case_id = k.id
  UNION ALL
  SELECT a.id, 'case', k.slug, k.title FROM p JOIN case_people j ON j.person_id = p.id
    JOIN cases k ON k.id = j.case_id AND k.retired_at IS NULL JOIN status_entries se ON se.case_id = k.id
    JOIN attachments a ON a.status_entry_id = se.id
  UNION ALL
  SELECT a.id, 'demand', d.slug, d.wording FROM p JOIN demand_targets t ON t.person_id = p.id
    JOIN demands d ON d.id = t.demand_id JOIN demand_state_entries ds ON ds.demand_id = d.id
    JOIN attachments a ON a.demand_state_entry_id = ds.id
)
SELECT a.id, a.title, a.filename, a.content_type, a.size, a.sha256, a.visibility, a.source_url, a.obtained_on,
       a.obtained_precision, a.blob_key, a.text_state, a.recorded_at, a.recorded_by_name, about.type, about.slug, about.name
FROM about JOIN attachments a ON a.id = about.id
WHERE a.retired_at IS NULL
ORDER BY a.obtained_on NULLS LAST, a.id`

// PersonDocuments reads every attachment about the person slug (personDocumentsSQL), public
// and internal: the dossier leaves the internal ones out of the public profile.
func (db *DB) PersonDocuments(ctx context.Context, slug string) ([]tracker.PersonDocument, error) {
	rows, _ := db.read(ctx).Query(ctx, personDocumentsSQL, slug)
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.PersonDocument, error) {
		var d tracker.PersonDocument
		var obtained *time.Time
		var precision, visibility, aboutType string
		err := r.Scan(&d.ID, &d.Title, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &visibility, &d.SourceURL, &obtained,
			&precision, &d.BlobKey, &d.TextState, &d.RecordedAt, &d.RecordedBy, &aboutType, &d.About.Slug, &d.About.Name)
		d.Visibility, d.About.Type = tracker.Visibility(visibility), tracker.EntityType(aboutType)
		if obtained != nil {
			w := tracker.MakeWhen(*obtained, tracker.Precision(precision))
			d.ObtainedOn = &w
		}
		return d, err
	})
	return docs, translate(err, "attachments")
}

// DossierPerson reads what a person's dossier is made of: their record (Person) and the
// documents about them (PersonDocuments).
func (db *DB) DossierPerson(ctx context.Context, slug string) (tracker.PersonDetail, error) {
	d, err := db.Person(ctx, slug)
	if err != nil {
		return d, err
	}
	d.Documents, err = db.PersonDocuments(ctx, slug)
	return d, err
}
