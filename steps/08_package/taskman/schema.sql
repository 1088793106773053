-- The tables of the task manager. "IF NOT EXISTS"
-- makes this safe to run again and again.
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    summary TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- The dashboard reads one page at a time, newest first: this index hands SQLite
-- the rows already in that order, so it never sorts the whole table (Pitfall 9).
CREATE INDEX IF NOT EXISTS tasks_newest_first ON tasks (created DESC, id DESC);

-- The dashboard shows how many tasks there are and how many are done. Counting
-- them with count(*) ... WHERE done = 1 reads one index entry per done task on
-- every page view, so it grows with the table. Instead, one row keeps both
-- numbers, and the triggers below update it in the same transaction as every
-- change to the tasks: reading it costs the same at any size.
CREATE TABLE IF NOT EXISTS task_counts (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    total INTEGER NOT NULL,
    done INTEGER NOT NULL
);
-- Count once, when the row does not exist yet
-- (a new database, or one that step 06 filled).
-- When it exists, the WHERE is false and the two counts are never run.
INSERT OR IGNORE INTO task_counts (id, total, done)
    SELECT 1, (SELECT count(*) FROM tasks),
        (SELECT coalesce(sum(done), 0) FROM tasks)
    WHERE NOT EXISTS (SELECT 1 FROM task_counts);
CREATE TRIGGER IF NOT EXISTS count_added AFTER INSERT ON tasks BEGIN
    UPDATE task_counts SET total = total + 1, done = done + NEW.done;
END;
CREATE TRIGGER IF NOT EXISTS count_deleted AFTER DELETE ON tasks BEGIN
    UPDATE task_counts SET total = total - 1, done = done - OLD.done;
END;
CREATE TRIGGER IF NOT EXISTS count_toggled AFTER UPDATE OF done ON tasks BEGIN
    UPDATE task_counts SET done = done - OLD.done + NEW.done;
END;

-- Search: SQLite's full-text index (FTS5) of the summaries finds the tasks that
-- hold a word without reading every task. Its unicode61 tokenizer folds case in
-- every alphabet ("É" finds "é"), and remove_diacritics 2 lets "cafe" find
-- "café" too. content='tasks' keeps no second copy of the text: the index points
-- at the tasks, and the triggers keep it up to date, like the counts row.
CREATE VIRTUAL TABLE IF NOT EXISTS tasks_search USING fts5(
    summary, content='tasks', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
-- Index what a database from step 06 already
-- holds (a new one is empty: nothing to do).
INSERT INTO tasks_search (tasks_search) VALUES ('rebuild');
CREATE TRIGGER IF NOT EXISTS search_added AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, summary) VALUES (NEW.id, NEW.summary);
END;
CREATE TRIGGER IF NOT EXISTS search_deleted AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, summary)
        VALUES ('delete', OLD.id, OLD.summary);
END;

-- People who signed up (a demo: names and e-mails, no passwords).
-- UNIQUE lets the database itself refuse a second account of one
-- name, whichever worker each sign-up reaches; username_key is
-- the name in lower case, so "Ada" and "ada" are one account.
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
