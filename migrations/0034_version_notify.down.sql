DROP TRIGGER IF EXISTS data_version_notify ON data_version;
DROP FUNCTION IF EXISTS whereas_notify_data_version();
