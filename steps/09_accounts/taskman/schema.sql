-- The tables of the task manager. "IF NOT EXISTS"
-- makes this safe to run again and again.
-- The accounts, first: the tasks and their counts refer to them. UNIQUE lets
-- the database itself refuse a second account of one name, whichever worker
-- each sign-up reaches; username_key is the name normalized and case folded
-- (auth.username_key), so "Ada", "ada" and "ａｄａ" are one account. password_hash
-- holds a salted, slow hash of the password (auth.py), never the password.
-- It is NULL only for someone who signed up in step 07 or 08, which
-- stored no password: nobody can sign in as them until the operator
-- gives them one with `flask --app taskman create-user NAME`.
-- session_id is what a signed-in browser's cookie holds (auth.load_user):
-- a new one at each sign-out makes every old cookie of the account
-- worthless. UNIQUE also gives the index that finds its user.
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    password_hash TEXT,
    session_id TEXT UNIQUE
);

-- Every task belongs to one user: NOT NULL, so no task can be
-- stored without an owner, and REFERENCES, so the owner must exist
-- (db.py turns the check on); deleting a user deletes their tasks.
-- (The tasks of a step 07 or 08 database, which had
-- no owners, wait in unowned_tasks: see upgrade.sql.)
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    summary TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE
);
-- The dashboard reads one page of one user's tasks at a time,
-- newest first: this index hands SQLite that user's rows already
-- in that order, so it never sorts the whole table (Pitfall 9).
CREATE INDEX IF NOT EXISTS tasks_newest_first
    ON tasks (user_id, created DESC, id DESC);

-- The dashboard shows how many tasks there are and how many are done. Counting
-- them with count(*) ... WHERE done = 1 reads one index entry per done task on
-- every page view, so it grows with the table. Instead, one row per user keeps
-- both numbers, and the triggers below update it in the same transaction as
-- every change to that user's tasks: reading it costs the same at any size.
CREATE TABLE IF NOT EXISTS task_counts (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL
);
-- Count once, for the users who have no row
-- yet (those of a step 07 or 08 database).
-- A new user gets a row from the trigger counts_for_new_user below.
INSERT OR IGNORE INTO task_counts (user_id, total, done)
    SELECT id, (SELECT count(*) FROM tasks WHERE user_id = users.id),
           (SELECT coalesce(sum(done), 0) FROM tasks WHERE user_id = users.id)
    FROM users;
CREATE TRIGGER IF NOT EXISTS counts_for_new_user AFTER INSERT ON users BEGIN
    INSERT INTO task_counts (user_id, total, done) VALUES (NEW.id, 0, 0);
END;
CREATE TRIGGER IF NOT EXISTS count_added AFTER INSERT ON tasks BEGIN
    UPDATE task_counts SET total = total + 1, done = done + NEW.done
        WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER IF NOT EXISTS count_deleted AFTER DELETE ON tasks BEGIN
    UPDATE task_counts SET total = total - 1, done = done - OLD.done
        WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER IF NOT EXISTS count_toggled AFTER UPDATE OF done ON tasks BEGIN
    UPDATE task_counts SET done = done - OLD.done + NEW.done
        WHERE user_id = NEW.user_id;
END;

-- Search: SQLite's full-text index (FTS5) of the summaries finds the tasks that
-- hold a word without reading every task. Its unicode61 tokenizer folds case in
-- every alphabet ("É" finds "é"), and remove_diacritics 2 lets "cafe" find
-- "café" too. content='tasks' keeps no second copy of the text: the index points
-- at the tasks, and the triggers keep it up to date, like the counts row.
-- It holds every user's tasks: a search joins what
-- it finds with the tasks of the user who asks.
CREATE VIRTUAL TABLE IF NOT EXISTS tasks_search USING fts5(
    summary, content='tasks', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS search_added AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, summary) VALUES (NEW.id, NEW.summary);
END;
CREATE TRIGGER IF NOT EXISTS search_deleted AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, summary)
        VALUES ('delete', OLD.id, OLD.summary);
END;

-- Failed sign-in attempts, kept LOGIN_WINDOW seconds (auth.py), three rows
-- each: key is "account:" and the username's key, "address:" and the visitor's
-- address, and both together. In the database, every worker counts the same
-- attempts. The index finds one key's recent attempts without a full scan.
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures (key, at);

-- Sign-ups, accepted or not, kept SIGNUP_WINDOW
-- seconds: key is "address:" and the visitor's address.
CREATE TABLE IF NOT EXISTS signups (
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS signups_by_key ON signups (key, at);
