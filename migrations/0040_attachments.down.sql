DROP TABLE attachment_blobs;
DROP TABLE attachments;
DROP FUNCTION whereas_attachments_changed();
