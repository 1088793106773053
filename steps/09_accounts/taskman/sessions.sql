-- The upgrade of a database of step 09's first version (PRAGMA
-- user_version 1), or of step 07 or 08 after upgrade.sql: db.py runs it
-- in the same transaction as schema.sql, then numbers the database 2.
-- Every account gets a session id (auth.load_user): the cookies
-- signed before it name nobody, so everyone signs in once more.
ALTER TABLE users ADD COLUMN session_id TEXT;
UPDATE users SET session_id = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX users_by_session_id ON users (session_id);
