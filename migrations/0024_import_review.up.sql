-- The proposed demands an admin turned down while reviewing an import (each a key naming
-- its clause and where its words start); accepted ones are in demands, with their key.
ALTER TABLE import_drafts ADD COLUMN rejected_demands text[] NOT NULL DEFAULT '{}';
