-- The public change log (/changes, the Atom feeds; issue 18 §2) lists what happened newest
-- first by the date it happened (the indexes of migration 0033) or by the time it was
-- entered: these indexes let each kind's part walk from the newest entry and stop after a
-- page, instead of sorting every entry on every view. The audit log's index holds only the
-- creations of records, the one kind of its entries the log shows.
CREATE INDEX status_entries_recorded_idx ON status_entries (recorded_at DESC, id DESC);
CREATE INDEX demand_state_entries_recorded_idx ON demand_state_entries (recorded_at DESC, id DESC) WHERE state <> 'unknown';
CREATE INDEX audit_log_creations_idx ON audit_log (at DESC, id DESC)
    WHERE (action = 'create' OR action LIKE 'create from import %')
      AND entity_type IN ('person', 'case', 'organisation', 'legal_provision');
