-- Which text a resolution row is (issue 15 §0 and §3). A procedure such as 2019/2610(RSP)
-- goes through stages: motions for a resolution tabled by political groups, a joint motion,
-- and the text the Parliament adopted. Each imported stage is its own row, with its own
-- clauses, links and demands; the rows of one procedure share `procedure`, which is no
-- longer unique. `adopted_on` stays the day of the Parliament's vote in the procedure (what
-- orders resolutions and dates the follow-up); `text_date` is the text's own date: the day
-- a motion was tabled, the day a text was adopted, NULL when nobody knows it.
ALTER TABLE resolutions
    ADD COLUMN stage        text NOT NULL DEFAULT 'adopted' CHECK (stage IN ('motion', 'joint_motion', 'adopted')),
    ADD COLUMN reference    text NOT NULL DEFAULT '' CHECK (reference ~ '^((RC-)?B\d{1,2}-\d{4}/\d{4}|P\d{1,2}_TA(-PROV)?\(\d{4}\)\d{4})?$'),
    ADD COLUMN text_date    date,
    ADD COLUMN official_url text NOT NULL DEFAULT '' CHECK (official_url = '' OR official_url ~ '^https://([a-z0-9-]+\.)*europarl\.europa\.eu(/[^\s]*)?$'),
    ADD COLUMN version      integer NOT NULL DEFAULT 1;

ALTER TABLE resolutions DROP CONSTRAINT resolutions_procedure_key;
-- One row per stage and document: two groups' motions in one procedure differ by reference.
CREATE UNIQUE INDEX resolutions_procedure_stage_key ON resolutions (procedure, stage, reference);

-- Texts stored before this migration were all taken for adopted texts. A single group's
-- motion says so by its heading, which carries no date ("European Parliament resolution on
-- …", where adopted texts say "of 14 March 2019"), and by citing Rule 135 alone: such rows
-- become motions, their tabling date unknown. The others are adopted texts dated by their vote.
UPDATE resolutions SET stage = 'motion'
WHERE left(source_text, 2000) !~* 'European Parliament resolution of \d'
  AND source_text ~ 'having regard to Rule 135 of its Rules of Procedure';
UPDATE resolutions SET text_date = adopted_on WHERE stage = 'adopted';

-- A draft says which stage it is and its document reference, as the reviewer confirms them.
ALTER TABLE import_drafts
    ADD COLUMN stage     text NOT NULL DEFAULT 'adopted' CHECK (stage IN ('motion', 'joint_motion', 'adopted')),
    ADD COLUMN reference text NOT NULL DEFAULT '',
    ADD COLUMN text_date date;

-- A demand carried over by review from an earlier stage's text names the demand it continues.
ALTER TABLE demands ADD COLUMN carried_from bigint REFERENCES demands(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX demands_carried_from_key ON demands (carried_from, clause_id) WHERE carried_from IS NOT NULL;
