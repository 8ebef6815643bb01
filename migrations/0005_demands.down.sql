DROP VIEW IF EXISTS demand_target_refs;
DROP TABLE IF EXISTS demand_state_entries;
DROP TABLE IF EXISTS demand_targets;
DROP TABLE IF EXISTS demands;
DROP TABLE IF EXISTS demand_states;
DROP TABLE IF EXISTS demand_actions;
