package web

import (
	"context"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// The words of the staff pages that the domain keeps in English (queue titles, roles, the
// activity log's actions, kinds and fields), in the page's language: each is looked up by
// its English text or code, and one the catalogs do not know is shown as the domain wrote it.

// roleLabel is an account's role in the page's language: "editor", "редактор".
func roleLabel(ctx context.Context, r tracker.Role) string {
	if !r.Valid() {
		return string(r)
	}
	return T(ctx, "staff.role."+string(r))
}

// queueTitle is a work queue's title in the page's language.
func queueTitle(ctx context.Context, q tracker.QueueInfo) string {
	if q.Name == tracker.QueueComingUp {
		return N(ctx, "staff.queue.coming-up", tracker.ComingUpDays)
	}
	return labelFor(ctx, "staff.queue."+string(q.Name), q.Title)
}

// queueEmpty is what a work queue's page says when nothing is in it.
func queueEmpty(ctx context.Context, q tracker.QueueInfo) string {
	if q.Name == tracker.QueueComingUp {
		return N(ctx, "staff.queue_empty.coming-up", tracker.ComingUpDays)
	}
	return labelFor(ctx, "staff.queue_empty."+string(q.Name), q.Empty)
}

// auditKindName is a kind of record the activity log can be filtered by, as its filter
// offers it: "Person", "Law or article".
func auditKindName(ctx context.Context, k tracker.Field) string {
	return labelFor(ctx, "staff.kind."+k.Name, k.Label)
}

// auditKindLabel names a kind of record in the activity log, in lower case (AuditKindLabel
// in the page's language).
func auditKindLabel(ctx context.Context, kind string) string {
	for _, k := range AuditKinds {
		if k.Name == kind {
			return strings.ToLower(auditKindName(ctx, k))
		}
	}
	return kind
}

// auditActionPrefixes are the actions the log writes with a value after them: "add new
// person", "create from import 12".
var auditActionPrefixes = []struct{ english, id, name string }{
	{"add new ", "staff.action.add_new", "Type"},
	{"remove new ", "staff.action.remove_new", "Type"},
	{"create from import ", "staff.action.create_from_import", "Import"},
	{"publish from import ", "staff.action.publish_from_import", "Import"},
}

// auditAction is what an activity log entry did, in the page's language: "edit",
// "add status", "create from import 12".
func auditAction(ctx context.Context, action string) string {
	if Lang(ctx) == i18n.EN {
		return action
	}
	for _, p := range auditActionPrefixes {
		if v, ok := strings.CutPrefix(action, p.english); ok && v != "" {
			if p.name == "Type" && catalog.Has(i18n.EN, "type."+v) {
				v = TypeNoun(ctx, tracker.EntityType(v))
			}
			return T(ctx, p.id, p.name, v)
		}
	}
	return labelFor(ctx, "staff.action."+strings.ReplaceAll(strings.ToLower(action), " ", "_"), action)
}

// auditFieldLabel is the label of a field an activity log entry changed, in the page's
// language; a field the log has no label for is named after the form's label for it.
func auditFieldLabel(ctx context.Context, c tracker.FieldChange) string {
	id := "staff.audit_field." + c.Field
	if en, ok := catalog.Raw(i18n.EN, id); ok && en == c.Label {
		return T(ctx, id)
	}
	if Lang(ctx) != i18n.EN && c.Label == strings.ReplaceAll(c.Field, "_", " ") && catalog.Has(i18n.EN, "form.field."+c.Field) {
		return T(ctx, "form.field."+c.Field)
	}
	return c.Label
}

// auditValue is one side of a changed value in the page's language where the log wrote it
// in the domain's words: a status or a demand state by its label, yes or no. Such a value
// is shown whole, as changed; any other is shown as it is (content: names, notes).
func auditValue(ctx context.Context, field string, e tracker.Excerpt) tracker.Excerpt {
	if Lang(ctx) == i18n.EN || e.Lead || e.Trail || e.Empty() {
		return e
	}
	whole := e.Head + e.Changed + e.Tail
	switch {
	case field == "status":
		for _, s := range tracker.Statuses {
			if s.Label == whole {
				return tracker.Excerpt{Changed: StatusLabel(ctx, s.Code)}
			}
		}
	case field == "state":
		for _, s := range tracker.DemandStates {
			if s.Label == whole {
				return tracker.Excerpt{Changed: DemandStateLabel(ctx, s.Code)}
			}
		}
	case whole == "yes" || whole == "no":
		return tracker.Excerpt{Changed: T(ctx, "staff.activity."+whole)}
	}
	return e
}

// auditTranslated reports whether auditValue put the value into the page's language, so
// it is interface text, not content.
func auditTranslated(ctx context.Context, field string, e tracker.Excerpt) bool {
	return auditValue(ctx, field, e) != e
}

// activityAt is when an activity log entry was made, without its time zone (UTC): "2
// January 2006 15:04".
func activityAt(ctx context.Context, t time.Time) string {
	t = t.UTC()
	return T(ctx, "staff.activity.at", "Day", Day(ctx, t), "Time", t.Format("15:04"))
}

// bearerHeader is how scripts send an API token, shown as code in every language.
const bearerHeader = "Authorization: Bearer TOKEN"

// statusByLabel is a status named by its English label (as a work queue writes it) in the
// page's language.
func statusByLabel(ctx context.Context, label string) string {
	for _, s := range tracker.Statuses {
		if s.Label == label {
			return StatusLabel(ctx, s.Code)
		}
	}
	return label
}
