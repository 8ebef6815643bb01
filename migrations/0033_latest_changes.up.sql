-- The home page lists the latest dated changes (issue 15 §2): the newest status entries and
-- demand assessments by their effective date. These indexes let each list walk from the
-- newest entry and stop after a few, instead of sorting every entry on every view.
CREATE INDEX status_entries_latest_idx ON status_entries (effective_on DESC, id DESC);
CREATE INDEX demand_state_entries_latest_idx ON demand_state_entries (effective_on DESC, id DESC) WHERE state <> 'unknown';
