-- The upgrade of a database made by step 07 or 08 (db.py runs
-- it once, in the same transaction as schema.sql, then numbers
-- the database 1 with PRAGMA user_version). Every task is kept.
--
-- Those tasks had no owner, and tasks.user_id is NOT NULL now. Rather than
-- let user_id be NULL in every database for their sake, they wait in a table
-- of their own, unowned_tasks, which no page reads: until the operator
-- creates the first account with `flask --app taskman create-user NAME`,
-- which moves them into tasks as that user's (auth.py), nobody sees them.
CREATE TABLE unowned_tasks AS SELECT id, summary, done, created FROM tasks;
-- The old tasks table goes, with its index
-- and triggers, and the tables built on it.
DROP TABLE tasks_search;
DROP TABLE task_counts;
DROP TABLE tasks;
-- New tasks are numbered after the old ones, which
-- keep their numbers when they are moved back.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'tasks', max(id) FROM unowned_tasks HAVING max(id) IS NOT NULL;
-- The people who signed up in step 07 or 08 stay,
-- without a password (see users in schema.sql).
ALTER TABLE users ADD COLUMN password_hash TEXT;
