"""What a student reads when a check fails, in Chinese and in English.

    say(zh, en)                  one message in the language of this run (COURSE_LANG=zh|en; English by default)
    raise Mistake("csrf-missing", page="/signup", action="/signup")
                                 a failure with a known cause: its text in both languages, and the concept
                                 that teaches it (the coach, tools/check.py, puts that concept first)
    CAUSES[tag]                  every known cause: the anchor of its section, and (cause, what to change)
                                 in "zh" and "en"; the site may show the same texts
    diagnose(error)              the Mistake behind an exception of the student's app, or None
    plain_cause(error, last_requests())
                                 for a failure with no known cause: {"zh": (cause, change), "en": (...)}, a
                                 sentence of what the test sent, what it expected and what it found
    record_requests(), forget_requests(), last_requests()
                                 the requests of the running test (tests/conftest.py records them for every
                                 test, and forgets them as each test starts)

Add a cause by adding a row to CAUSES; its texts are str.format templates filled from Mistake's keywords.
"""
import ast
import collections
import functools
import linecache
import os
import re
import reprlib
import sqlite3
import sys
import sysconfig
import traceback
from pathlib import Path


def language():
    """The language a run reports in: "zh" or "en" (tools/check.py sets COURSE_LANG from --lang or the locale)."""
    return "zh" if os.environ.get("COURSE_LANG") == "zh" else "en"


def say(zh, en, **values):
    """The message in this run's language, with {names} filled in from values."""
    text = zh if language() == "zh" else en
    return text.format(**values) if values else text


# tag: anchor of the section that teaches it, then (the cause, what to change) in each language.
CAUSES = {
    "unescaped": {
        "anchor": "autoescaping",
        "zh": ("{page} 上出现了没有转义的 <script> 标签：一段看起来像 HTML 的文字被当成 HTML 发给了浏览器。"
               "浏览器会运行它，截短的 <script> 还会吞掉后面的内容，所以别的检查也会跟着失败。",
               "去掉模板里的 |safe（或者视图里的 Markup(...)）：Jinja 会自动转义，<script> 就显示成文字。"),
        "en": ("A <script> tag reached {page} unescaped: text that looks like HTML went to the browser as HTML. "
               "The browser runs it, and a cut-off <script> swallows what follows, so other checks fail too.",
               "Remove |safe from the template (or Markup(...) from the view): Jinja escapes the text by itself, "
               "and <script> shows as text."),
    },
    "csrf-missing": {
        "anchor": "csrf",
        "zh": ("{page} 上提交到 {action} 的表单被拒绝（400）：表单里没有 csrf_token 隐藏字段。",
               "在这个表单的 <form> 里加上 <input type=\"hidden\" name=\"csrf_token\" value=\"{{{{ csrf_token() }}}}\">。"),
        "en": ("The form on {page} that posts to {action} was refused with 400: it has no csrf_token hidden field.",
               "Add <input type=\"hidden\" name=\"csrf_token\" value=\"{{{{ csrf_token() }}}}\"> inside that <form>."),
    },
    "csrf-invalid": {
        "anchor": "csrf",
        "zh": ("{page} 上提交到 {action} 的表单带了 csrf_token，却被拒绝（400）：{reason}",
               "让隐藏字段的值是 {{{{ csrf_token() }}}}，并且只设置一次 secret key（不要在每次请求时生成新的）。"),
        "en": ("The form on {page} that posts to {action} carries a csrf_token but was refused with 400: {reason}",
               "Give the hidden field the value {{{{ csrf_token() }}}}, and set the secret key once (never a new one "
               "per request)."),
    },
    "not-committed": {
        "anchor": "add-task",
        "zh": ("添加任务 {summary!r} 得到了 {status} 重定向，但数据库文件里没有新的一行：INSERT 没有提交。",
               "在 INSERT 之后调用 db.commit()；不提交，这一行在连接关闭时就丢了。"),
        "en": ("Adding the task {summary!r} answered with a {status} redirect, but the database file holds no new "
               "row: the INSERT was never committed.",
               "Call db.commit() after the INSERT; without it the row is lost when the connection closes."),
    },
    "no-redirect": {
        "anchor": "post-redirect-get",
        "zh": ("成功的 POST {action} 返回了 {status}，而不是重定向（302）。",
               "处理成功后 return redirect(url_for(...))：浏览器随后用 GET 打开新页面，刷新时就不会再次提交表单"
               "（Post/Redirect/Get）。"),
        "en": ("The successful POST {action} answered {status} instead of a redirect (302).",
               "After it worked, return redirect(url_for(...)): the browser then opens the next page with a GET, so a "
               "refresh does not send the form again (Post/Redirect/Get)."),
    },
    "missing-id-redirect": {
        "anchor": "missing-id",
        "zh": ("{method} {url} 针对一个不存在的任务，却返回了 {status}，好像成功了一样。",
               "先查这个 id 是否存在（或看 UPDATE/DELETE 的 rowcount），不存在就 abort(404)。"),
        "en": ("{method} {url} is about a task that does not exist, yet it answered {status} as if it had worked.",
               "Check that the id exists first (or look at the UPDATE/DELETE's rowcount) and abort(404) when it "
               "does not."),
    },
    "connection-left-open": {
        "anchor": "connection-per-request",
        "zh": ("{method} {url} 的数据库连接在响应发出后还开着。",
               "用 @app.teardown_appcontext 注册一个函数，从 g 里取出连接并 close()；不管请求成功还是出错，它都会运行。"),
        "en": ("{method} {url} left its database connection open after the response was sent.",
               "Register a function with @app.teardown_appcontext that pops the connection from g and closes it; it "
               "runs after every request, even one that failed."),
    },
    "sql-formatting": {
        "anchor": "parameterised-queries",
        "zh": ("用户输入的文字被拼进了 SQL，SQLite 把它当成了 SQL 来执行：{error}",
               "SQL 里用 ? 占位，把值作为第二个参数传入：db.execute(\"... WHERE id = ?\", (task_id,))；"
               "不要用 f-string、% 或 + 拼接 SQL。"),
        "en": ("Text a user typed was pasted into the SQL, and SQLite ran it as SQL: {error}",
               "Put ? in the SQL and pass the values separately: db.execute(\"... WHERE id = ?\", (task_id,)); never "
               "build SQL with an f-string, % or +."),
    },
    "database-relative": {
        "anchor": "database-path",
        "zh": ("数据库路径是 {path!r}：相对路径取决于启动应用时所在的文件夹，所以数据会跑到别的地方。",
               "用 os.path.join(app.instance_path, \"tasks.db\") 作为 app.config[\"DATABASE\"] 的默认值。"),
        "en": ("The database path is {path!r}: a relative path depends on the folder the app is started from, so the "
               "data lands somewhere else each time.",
               "Make os.path.join(app.instance_path, \"tasks.db\") the default of app.config[\"DATABASE\"]."),
    },
    "no-such-table": {
        "anchor": "schema",
        "zh": ("SQLite 说：{error}。请求到来时表还不存在。",
               "在应用加载时（不是只在 if __name__ == \"__main__\": 里）用 CREATE TABLE IF NOT EXISTS 建表。"),
        "en": ("SQLite says: {error}. The table did not exist when the request came.",
               "Create the schema with CREATE TABLE IF NOT EXISTS when the app loads (not only under "
               "if __name__ == \"__main__\":)."),
    },
    "template-not-found": {
        "anchor": "base-layout",
        "zh": ("找不到模板 {name}。", "把 {name} 放进这个文件夹的 templates/ 里，名字要和 render_template 或 extends 里写的一样。"),
        "en": ("The template {name} was not found.",
               "Put {name} in the folder's templates/, named exactly as render_template or extends writes it."),
    },
    "url-build-error": {
        "anchor": "pages-and-links",
        "zh": ("url_for 找不到端点：{error}",
               "url_for 里写的是端点：视图函数的名字，从第 08 步起前面还要加上蓝图的名字（tasks.delete_task）。"
               "检查拼写，或者给这一步加上那个路由。"),
        "en": ("url_for found no such endpoint: {error}",
               "url_for takes the endpoint: the view function's name, from step 08 on with its blueprint's name "
               "before it (tasks.delete_task). Check its spelling, or add that route to this step."),
    },
    # Step 09: accounts.
    "login-required": {
        "anchor": "login-required",
        "zh": ("一个没有登录的访客打开了需要账户的页面，应用出错了（{error}）：视图用了 current_user.id，可是访客没有 id。",
               "给每个读写任务的视图加上 @login_required（写在 @bp.route 下面）：没登录的访客会被送去登录页，API 回答 401。"),
        "en": ("A visitor who is not signed in opened a page that needs an account, and the app failed ({error}): the "
               "view used current_user.id, and a visitor has no id.",
               "Put @login_required under the @bp.route of every view that reads or changes tasks: a visitor is sent "
               "to sign in, and the API answers 401."),
    },
    "password-in-clear": {
        "anchor": "users-table",
        "zh": ("密码 {password!r} 原样出现在数据库文件里（{where}）：谁拿到这个文件，谁就知道每个人的密码。",
               "只保存 generate_password_hash(password) 的结果，登录时用 check_password_hash(保存的哈希, 输入的密码) 比较。"),
        "en": ("The password {password!r} is in the database file as typed ({where}): whoever gets the file knows "
               "everyone's password.",
               "Store only generate_password_hash(password), and compare with check_password_hash(stored hash, typed "
               "password) at sign-in."),
    },
    "password-fast-hash": {
        "anchor": "users-table",
        "zh": ("保存的是密码的 {name} 摘要：它没有盐而且很快，一台显卡每秒能试几十亿个密码，常见的密码一查表就知道。",
               "改用 werkzeug.security 的 generate_password_hash(password)：它自带随机的盐，而且故意很慢（scrypt）。"),
        "en": ("The stored value is the password's {name} digest: unsalted and fast, so a graphics card tries billions "
               "of guesses a second, and a common password is found in a table at once.",
               "Use generate_password_hash(password) from werkzeug.security: it adds a random salt and is slow on "
               "purpose (scrypt)."),
    },
    "password-unsalted": {
        "anchor": "users-table",
        "zh": ("两个账号用了同一个密码，保存下来的哈希也一模一样：没有盐，破解一个就破解了所有用这个密码的人。",
               "用 generate_password_hash(password)，不要自己算哈希：它每次都生成一个新的随机盐，同一个密码得到不同的哈希。"),
        "en": ("Two accounts with the same password got the same stored hash: there is no salt, so cracking one "
               "cracks everyone who chose that password.",
               "Use generate_password_hash(password) rather than a hash of your own: it makes a new random salt each "
               "time, so one password gives different hashes."),
    },
    "user-enumeration": {
        "anchor": "one-message",
        "zh": ("用户名不存在时和密码错误时，登录页的回答不一样（{difference}）：别人可以借此试出哪些用户名已经注册。",
               "两种情况都返回 401 和同一句话 \"Wrong username or password.\"，页面其余部分也完全一样。"),
        "en": ("The sign-in page answers an unknown username differently from a wrong password ({difference}): anyone "
               "can find out which usernames have accounts.",
               "Answer both with 401 and the same sentence, \"Wrong username or password.\", and the same page "
               "otherwise."),
    },
    "open-redirect": {
        "anchor": "safe-next",
        "zh": ("登录后按 next={next!r} 重定向到了 {location!r}，离开了本站：一个钓鱼链接可以借你的登录页把人送到假网站。",
               "只接受以一个 / 开头、后面不是 / 或 \\ 的路径（urlsplit 之后 scheme 和 netloc 都为空）；其他一律去 /tasks。"),
        "en": ("After sign-in, next={next!r} redirected to {location!r}, off this site: a phishing link can use your "
               "sign-in page to send people to a fake site.",
               "Accept only a path that starts with one / not followed by / or \\ (no scheme and no netloc after "
               "urlsplit); anything else goes to /tasks."),
    },
    "another-users-task": {
        "anchor": "ownership",
        "zh": ("{other} 用 {method} {url} 访问了 {owner} 的任务，回答是 {status}：{what}",
               "每一条读取或修改任务的 SQL 都要加上 AND user_id = ?（current_user.id）；找不到就 abort(404)，和不存在的 id 一样。"),
        "en": ("{other} sent {method} {url}, a task of {owner}'s, and got {status}: {what_en}",
               "Add AND user_id = ? (current_user.id) to every SQL statement that reads or changes tasks; when no row "
               "matches, abort(404), exactly as for an id that does not exist."),
    },
    "logout-by-get": {
        "anchor": "sign-out",
        "zh": ("GET /logout 返回了 {status}{signed_out}：别的网站放一张 <img src=\"/logout\"> 就能让访客退出登录。",
               "只接受 POST：@bp.route(\"/logout\", methods=[\"POST\"])，用一个带 csrf_token 的表单按钮来退出。"),
        "en": ("GET /logout answered {status}{signed_out_en}: another site's <img src=\"/logout\"> signs the visitor "
               "out.",
               "Accept POST only: @bp.route(\"/logout\", methods=[\"POST\"]), signed out by a form's button that "
               "carries its csrf_token."),
    },
    # Step 10: the tables come from Flask-Migrate's migrations.
    "no-migration": {
        "anchor": "migrations",
        "zh": ("数据库说：{error}。表和列是由 migrations/versions 里的迁移建立和修改的，这一个没有迁移（或者迁移没有运行）。",
               "给模型的每一处改动写一个迁移（照着 0002_due_date.py：op.add_column，和它的 downgrade），"
               "用 flask --app taskman db upgrade 运行它；不要用 db.create_all()，它不会改已有的表，也不记下版本。"),
        "en": ("The database says: {error}. The tables and their columns are made and changed by the migrations in "
               "migrations/versions, and none made this one (or it was not run).",
               "Write a migration for every change of a model (as 0002_due_date.py does: op.add_column, and its "
               "downgrade) and run it with flask --app taskman db upgrade; not db.create_all(), which changes no "
               "table that exists and records no version."),
    },
    "session-survives-sign-out": {
        "anchor": "revoke",
        "zh": ("退出登录之前复制下来的会话 cookie，退出之后再发给应用，{what}：签名的 cookie 服务器收不回来，偷到它的人退出之后照样能用。",
               "在 users 表里给每个用户存一个随机的 session_id，User.get_id() 返回它，user_loader 按它找用户；退出登录（以及改密码）时换一个新的，旧 cookie 就谁也不代表了。"),
        "en": ("A session cookie copied before signing out, sent again after it, {what_en}: the server cannot take a "
               "signed cookie back, and whoever copied it keeps using it.",
               "Keep a random session_id for each user in the users table, return it from User.get_id() and look "
               "the user up by it in the user_loader; give the user a new one at sign-out (and at a password "
               "change), and the old cookie names nobody."),
    },
    "stranger-lock-out": {
        "anchor": "lockout",
        "zh": ("别人从另一个地址给 {user} 输错了 {count} 次密码之后，{user} 从自己的地址用正确的密码登录，得到的是 {status}：任何知道用户名的陌生人都能把主人锁在外面。",
               "紧的那个限制（LOGIN_LIMIT，5 次）按“账号 + 地址”一起计数；账号本身另设一个高得多的上限（LOGIN_LIMIT_PER_ACCOUNT），挡住从很多地址来的猜测。"),
        "en": ("After {count} wrong passwords for {user} from another address, {user}'s right password from their own "
               "address got {status}: any stranger who knows the name can lock its owner out.",
               "Count the tight limit (LOGIN_LIMIT, 5) per account and address together, and give the account "
               "itself a much higher limit (LOGIN_LIMIT_PER_ACCOUNT) against guesses spread over many addresses."),
    },
    "limit-race": {
        "anchor": "atomic-limit",
        "zh": ("同时发出的 {sent} 个错误密码里，有 {passed} 个得到了 401，而限制是 {limit} 次：先数、后记下的两步之间，别的请求也数到了同一个数。",
               "先把这次尝试写进 login_failures，再数，两步放在同一个事务里（写入让这个请求成为 SQLite 唯一的写者，直到提交）；超过限制就回滚这次记录并回答 429。"),
        "en": ("Of {sent} wrong passwords sent at once, {passed} got 401 against a limit of {limit}: between counting "
               "and recording, in two steps, other requests counted the same number.",
               "Write the attempt into login_failures first, then count, in one transaction (the write makes the "
               "request SQLite's one writer until the commit); over the limit, roll the record back and answer 429."),
    },
    "signup-unlimited": {
        "anchor": "signup-limits",
        "zh": ("从同一个地址注册了 {count} 次，回答都不是 429：每次注册都要算一次很慢的哈希，“用户名已被占用”还告诉别人谁有账号。",
               "像登录一样给注册计数：每次 POST /signup（不管成不成功）按访客地址记一行，超过 SIGNUP_LIMIT 就回答 429 和 Retry-After。"),
        "en": ("{count} sign-ups from one address, and none was answered 429: each costs a slow hash, and \"That "
               "username is already taken.\" tells anyone who has an account.",
               "Count sign-ups as sign-ins are counted: a row per POST /signup, accepted or not, by the visitor's "
               "address; past SIGNUP_LIMIT, answer 429 with Retry-After."),
    },
    "look-alike-name": {
        "anchor": "usernames",
        "zh": ("{taken!r} 注册之后，{look_alike!r} 也被当作一个新名字接受了：在页面上它们看起来一样。",
               "按规范化的键比较名字：unicodedata.normalize(\"NFKC\", name).casefold()（再 NFKC 一次），UNIQUE 放在这个键上；拒绝看不见的字符和混用拉丁、希腊、西里尔字母的名字。"),
        "en": ("After {taken!r} signed up, {look_alike!r} was accepted as a new name: on a page the two look the same.",
               "Compare names by a normalised key, unicodedata.normalize(\"NFKC\", name).casefold() (and NFKC "
               "again), with UNIQUE on that key; refuse invisible characters and names that mix Latin, Greek and "
               "Cyrillic letters."),
    },
    # Step 08: the app as a package, made by create_app().
    "test-config-ignored": {
        "anchor": "factory",
        "zh": ("create_app(test_config) 做出的应用没有用测试给的值（{lost}）：工厂忽略了 test_config（或者之后又把它盖掉了），"
               "所以你的测试会用真正的配置，写进真正的数据库（instance/tasks.db）。",
               "在 create_app() 里，读完环境变量之后、拒绝启动的检查之前，加上：if test_config is not None: "
               "app.config.from_mapping(test_config)。"),
        "en": ("create_app(test_config) made an app that ignores the test's values ({lost}): the factory ignores test_config (or "
               "overwrites it later), so your tests would run with the real configuration, on the real database "
               "(instance/tasks.db).",
               "In create_app(), after the configuration from the environment and before the checks that refuse to "
               "start, add: if test_config is not None: app.config.from_mapping(test_config)."),
    },
    "blueprint-not-registered": {
        "anchor": "factory",
        "zh": ("应用里没有叫 {blueprint} 的蓝图：它没有注册，所以它的路由一个也不存在，url_for(\"{endpoint}\") 也找不到端点。",
               "在 create_app() 里、return app 之前注册它：app.register_blueprint({blueprint}.bp)（文件开头 from . import "
               "{blueprint}）；如果它注册时用的是别的名字，就在 url_for 里写那个名字。"),
        "en": ("The app has no blueprint named {blueprint}: it is not registered, so none of its routes exist, and "
               "url_for(\"{endpoint}\") finds no endpoint.",
               "Register it in create_app(), before return app: app.register_blueprint({blueprint}.bp) (with from . "
               "import {blueprint}); if it is registered under another name, write that name in url_for."),
    },
    "init-app-not-called": {
        "anchor": "factory",
        "zh": ("应用没有 flask {command} 命令：create_app() 没有调用 db.init_app(app)，或者 init_app 没有注册它；"
               "注册这些命令、以及在每个请求之后关闭数据库连接的 teardown，正是 init_app 的事。",
               "在 create_app() 里调用 db.init_app(app)；db.py 的 init_app(app) 里写 app.teardown_appcontext(close_db) "
               "和 app.cli.add_command(init_db_command)（还有 backup_command）。"),
        "en": ("The app has no flask {command} command: create_app() does not call db.init_app(app), or init_app does "
               "not register it; registering the commands, and the teardown that closes each request's connection, "
               "is init_app's job.",
               "Call db.init_app(app) in create_app(); in db.py, init_app(app) does "
               "app.teardown_appcontext(close_db) and app.cli.add_command(init_db_command) (and backup_command)."),
    },
    # Step 10: migrations.
    "create-all": {
        "anchor": "migrations",
        "zh": ("表不是由迁移建立的：{what}。db.create_all() 就会这样：它只建缺少的表，从不给已有的表加列，"
               "也不在 alembic_version 里记下版本。",
               "只用迁移来建表和改表：flask --app taskman db upgrade（在 SQLite 上，应用可以在启动时自己运行迁移，"
               "像 db.py 的 upgrade() 那样）；去掉 db.create_all()。"),
        "en": ("The tables were not made by the migrations: {what_en}. db.create_all() does that: it makes missing "
               "tables only, never adds a column to a table that exists, and records no version in alembic_version.",
               "Make and change the tables with the migrations only: flask --app taskman db upgrade (on SQLite the "
               "app may run them itself when it starts, as db.py's upgrade() does); remove db.create_all()."),
    },
    "not-null-without-default": {
        "anchor": "migrations",
        "zh": ("迁移给表 {table} 加了一个 NOT NULL 的列 {column}，却没有 server default：表里已有的行在这一列没有值，"
               "数据库就拒绝了（{error}）。",
               "在迁移里给这一列一个 server default：sa.Column(\"{column}\", ..., nullable=False, server_default=...)，"
               "已有的行就有了值；或者像 0002_due_date.py 加 due 那样先加一个 nullable 的列，用 op.execute(\"UPDATE ...\") "
               "填好，再改成 NOT NULL。"),
        "en": ("A migration adds the NOT NULL column {column} to {table} with no server default: the rows already "
               "in the table would have no value for it, and the database refuses ({error}).",
               "Give the column a server default in the migration, sa.Column(\"{column}\", ..., nullable=False, "
               "server_default=...), so the rows already there get a value; or add it nullable, as 0002_due_date.py "
               "adds due, fill it with op.execute(\"UPDATE ...\"), then make it NOT NULL."),
    },
}


class Mistake(AssertionError):
    """A failed check whose cause is known: its tag, the anchor that teaches it, and its text in both languages."""

    def __init__(self, cause, **values):
        entry = CAUSES[cause]
        self.cause, self.anchor = cause, entry["anchor"]
        self.texts = {lang: tuple(part.format(**values) for part in entry[lang]) for lang in ("zh", "en")}
        super().__init__(" ".join(self.texts[language()]))


def expect(condition, cause, **values):
    """Raise Mistake(cause, **values) unless condition holds."""
    if not condition:
        raise Mistake(cause, **values)


def diagnose(error):
    """The Mistake that explains an exception a student's app raised (SQL pasted together, a missing template,
    a bad url_for), or None."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    name = type(error).__name__
    if isinstance(error, sqlite3.OperationalError) and text.startswith("no such table"):
        return Mistake("no-such-table", error=text)
    if isinstance(error, (sqlite3.OperationalError, sqlite3.ProgrammingError, sqlite3.Warning)) and (
            "syntax error" in text or "one statement at a time" in text or "unrecognized token" in text):
        return Mistake("sql-formatting", error=text)
    if name == "TemplateNotFound":
        return Mistake("template-not-found", name=text)
    if name == "BuildError":
        blueprint = unregistered_blueprint(error)
        if blueprint:
            return Mistake("blueprint-not-registered", blueprint=blueprint, endpoint=error.endpoint)
        return Mistake("url-build-error", error=text)
    if isinstance(error, AttributeError) and "'AnonymousUserMixin' object has no attribute" in text:
        return Mistake("login-required", error=text)
    if type(error).__module__.startswith(("sqlalchemy", "psycopg", "alembic")):
        mistake = migration_mistake(str(error))
        if mistake:
            return mistake
    if type(error).__module__.startswith("sqlalchemy") and any(
            words in text for words in ("no such table", "no such column", "has no column named", "does not exist")):
        # Step 10 on: the tables come from the migrations, so a table or a column the database lacks is a
        # migration that was not written or not run (or db.create_all() in their place).
        return Mistake("no-migration", error=text)
    if isinstance(error, SystemExit) and isinstance(error.__context__, Exception):
        # An app that refuses to start says so in one line, and keeps the database's error as its context
        # (raise SystemExit(...) from None): that error is the cause.
        return diagnose(error.__context__)
    return None


def unregistered_blueprint(error):
    """The blueprint that a BuildError's endpoint names ("auth" for url_for("auth.login")) when the app has no
    route of that blueprint at all (it was never registered), else None."""
    blueprint, dot, _ = (getattr(error, "endpoint", None) or "").rpartition(".")
    adapter = getattr(error, "adapter", None)
    if not dot or adapter is None:
        return None
    if any(rule.endpoint.startswith(blueprint + ".") for rule in adapter.map.iter_rules()):
        return None
    return blueprint


def migration_mistake(text):
    """The Mistake that a database's error, or the output of `flask db upgrade`, shows about the migrations:
    a NOT NULL column added without a server default to a table with rows, or tables that a migration finds
    already there (made by db.create_all()); else None."""
    def line_of(match):
        """The line of text that holds the match: the database's own words, cut short."""
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        return text[start:end if end >= 0 else len(text)].strip()[:160]

    match = (re.search(r"NOT NULL constraint failed: _alembic_tmp_(?P<table>\w+)\.(?P<column>\w+)", text)  # batch
             or re.search(r'column "(?P<column>\w+)" of relation "(?P<table>\w+)" contains null values', text))
    if match:
        return Mistake("not-null-without-default", table=match["table"], column=match["column"], error=line_of(match))
    match = re.search(r"Cannot add a NOT NULL column with default value NULL", text)  # SQLite, op.add_column
    if match:
        added = re.search(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", text)
        table, column = added.groups() if added else ("?", "?")
        return Mistake("not-null-without-default", table=table, column=column, error=line_of(match))
    match = re.search(r'duplicate column name: (\w+)|column "(\w+)" of relation "\w+" already exists'
                      r'|table "?(\w+)"? already exists|relation "(\w+)" already exists', text)
    if match:
        name = next(group for group in match.groups() if group)
        return Mistake("create-all", what=f"迁移要建的 {name} 已经在数据库里了（{line_of(match)}）",
                       what_en=f"a migration found {name} already there ({line_of(match)})")
    return None


def expect_redirect(response, action):
    """A POST that worked answers with a redirect (Post/Redirect/Get)."""
    expect(response.status_code in (302, 303), "no-redirect", action=action, status=response.status_code)


# What the running test sent ------------------------------------------------------------------------------------

# The requests of the test that runs now, oldest first, at most the last 20: {"method", "path", "status",
# "error"} each (status None while a request runs, or when the app raised; error the name of what it raised).
_REQUESTS = collections.deque(maxlen=20)
# The last comparison of a rewritten assert that failed in the running test (tests/conftest.py's
# pytest_assertrepr_compare), with the frame it failed in: {"op", "left", "right", "frame", "code"}.
_COMPARISON = {}


def record_requests():
    """Record every request that a Flask app of this process answers, whichever client sent it: Flask's
    request_started, request_finished and got_request_exception signals, for every app. Once is enough."""
    import flask

    flask.request_started.connect(_request_started)
    flask.request_finished.connect(_request_finished)
    flask.got_request_exception.connect(_request_failed)


def _request_started(sender, **extra):
    from flask import request

    entry = {"method": request.method, "path": request.full_path.rstrip("?"), "status": None, "error": None}
    request.environ["course.request"] = entry  # the entry of this request, whatever other requests run meanwhile
    _REQUESTS.append(entry)


def _request_finished(sender, response, **extra):
    from flask import request

    entry = request.environ.get("course.request")
    if entry is not None:
        entry["status"] = response.status_code


def _request_failed(sender, exception, **extra):
    from flask import request

    entry = request.environ.get("course.request")
    if entry is not None:
        entry["error"] = type(exception).__name__


def forget_requests():
    """Start a new test: no request sent yet, no comparison failed."""
    _REQUESTS.clear()
    _COMPARISON.clear()


def last_requests():
    """The requests the running test has sent so far (its fixtures' too), oldest first, at most the last 20."""
    return [dict(entry) for entry in _REQUESTS]


def remember_comparison(op, left, right):
    """Keep the values of a comparison that failed (called by pytest_assertrepr_compare), with the frame of the
    assert, so that plain_cause() uses them only for the assertion that failed there."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name != "_call_reprcompare":
        frame = frame.f_back
    asserting = frame.f_back if frame is not None else None
    _COMPARISON.clear()
    if asserting is not None:
        _COMPARISON.update(op=op, left=left, right=right, frame=id(asserting), code=asserting.f_code)


# A failure with no known cause, in words ------------------------------------------------------------------------

PLAIN = {
    "zh": {
        "request": "{method} {path}", "answered": "{method} {path}（返回 {status}）",
        "raised": "{method} {path}（应用出错了）",
        "sent": "测试发送了 {requests}", "then": "，然后 ",
        "sentence": "{sent}；{found}。", "alone": "{found}。",
        "equal": "它期望得到 {expected}，实际是 {found}",
        "header": "它期望响应头 {header} 是 {expected}，实际是 {found}",
        "header_missing": "它期望响应带有 {header} 头（值为 {expected}），但响应里没有这个头",
        "header_one_of": "它期望响应头 {header} 是 {expected} 中的一个，实际是 {found}",
        "equal_unread": "它期望 {source} 等于 {expected}，结果不是",
        "not_equal": "它期望得到 {expected} 以外的值，实际正是 {expected}",
        "in": "它期望在{where}里找到 {needle}，但没有找到",
        "not_in": "它期望{where}里没有 {needle}，却找到了",
        "order": "它期望一个 {op} {expected} 的值，实际是 {found}",
        "subset": "它期望 {expected} 全都在，缺了 {missing}",
        "none": "它期望得到 None，实际是 {found}",
        "value": "它期望得到一个值，实际是 None",
        "true": "检查 {source} 不成立",
        "message": "检查说：{message}",
        "message_values": "检查说：{message}（期望 {expected}，实际 {found}）",
        "not_raised": "它期望代码抛出 {name}，代码却正常结束了",
        "regex": "它期望错误信息符合 {pattern}，实际是 {found}",
        "no_command": "应用没有 flask {command} 命令",
        "failed": "一项检查没有通过",
        "page": "页面", "text": "读到的文字",
        "app_raised_at": "应用在 {file} 第 {line} 行（{code}）抛出了 {name}：{words}",
        "app_raised": "应用抛出了 {name}：{words}",
        "change_get": "运行你的应用，在浏览器里打开 {path}，看看它返回什么，再和下面“去读”那一节说的对照。",
        "change_post": "运行你的应用，提交发往 {path} 的表单（{method}），看看它返回什么，再和下面“去读”那一节说的对照。",
        "change_none": "读一读下面“证据”里的那项测试和“去读”那一节：它们说明这一步要做到什么。",
        "change_raised_at": "打开 {file} 第 {line} 行，改掉让它抛出 {name} 的原因；加上 --verbose 可以看到完整的 traceback。",
        "change_raised": "找到你的代码里抛出 {name} 的地方，改好它；加上 --verbose 可以看到完整的 traceback。",
    },
    "en": {
        "request": "{method} {path}", "answered": "{method} {path} (answered {status})",
        "raised": "{method} {path} (the app failed)",
        "sent": "The test sent {requests}", "then": ", then ",
        "sentence": "{sent}; {found}.", "alone": "{found}.",
        "equal": "it expected {expected} and found {found}",
        "equal_unread": "it expected {source} to be {expected}, and it was not",
        "header": "it expected the {header} header to be {expected}, and found {found}",
        "header_missing": "it expected the {header} header ({expected}), and the response had none",
        "header_one_of": "it expected the {header} header to be one of {expected}, and found {found}",
        "not_equal": "it expected something other than {expected}, and found exactly that",
        "in": "it expected {needle} in {where}, and it was not there",
        "not_in": "it expected no {needle} in {where}, and found it there",
        "order": "it expected a value {op} {expected}, and found {found}",
        "subset": "it expected all of {expected}, and {missing} was missing",
        "none": "it expected None and found {found}",
        "value": "it expected a value and found None",
        "true": "the check {source} did not hold",
        "message": "the check says: {message}",
        "message_values": "the check says: {message} (it expected {expected}, found {found})",
        "not_raised": "it expected the code to raise {name}, and it ended normally",
        "regex": "it expected an error whose message matches {pattern}, and found {found}",
        "no_command": "the app has no flask {command} command",
        "failed": "a check failed",
        "page": "the page", "text": "the text it read",
        "app_raised_at": "the app raised {name} at {file}, line {line} ({code}): {words}",
        "app_raised": "the app raised {name}: {words}",
        "change_get": "Run your app, open {path} in the browser, see what it answers, and compare that with the "
                      "section under Read.",
        "change_post": "Run your app, submit the form that sends {method} {path}, see what it answers, and compare "
                       "that with the section under Read.",
        "change_none": "Read the test under Proof and the section under Read: they say what this step must do.",
        "change_raised_at": "Open {file} at line {line} and fix what makes it raise {name}; --verbose shows the "
                            "whole traceback.",
        "change_raised": "Find where your code raises {name} and fix it; --verbose shows the whole traceback.",
    },
}

# What an exception means, by the name of its class: (zh, en), filled with its message.
EXCEPTION_WORDS = {
    "KeyError": ("取了一个不存在的键 {message}", "a key that is not there, {message}"),
    "AttributeError": ("用了对象没有的属性（{message}）", "an attribute the object does not have ({message})"),
    "NameError": ("用了一个没有定义的名字（{message}）：少了 import，或者拼错了",
                  "a name that is not defined ({message}): an import is missing, or a typo"),
    "UnboundLocalError": ("用了一个还没有赋值的变量（{message}）", "a variable used before it was given a value ({message})"),
    "TypeError": ("一个值的类型不对（{message}）", "a value of the wrong type ({message})"),
    "ValueError": ("一个用不了的值（{message}）", "a value it could not use ({message})"),
    "IndexError": ("下标超出了末尾（{message}）", "an index past the end ({message})"),
    "ZeroDivisionError": ("除以零（{message}）", "a division by zero ({message})"),
    "UndefinedError": ("模板用了一个没有传给它的变量（{message}）", "the template used a variable it was not given ({message})"),
    "TemplateSyntaxError": ("模板有语法错误（{message}）", "a syntax error in a template ({message})"),
    "OperationalError": ("数据库拒绝了一条 SQL（{message}）", "the database refused an SQL statement ({message})"),
    "ProgrammingError": ("数据库拒绝了一条 SQL（{message}）", "the database refused an SQL statement ({message})"),
    "IntegrityError": ("数据库拒绝了一行违反约束的数据（{message}）",
                       "the database refused a row that breaks one of its rules ({message})"),
    "SystemExit": ("应用拒绝启动（{message}）", "the app refused to start ({message})"),
}

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxset, _SHORT.maxtuple = 60, 60, 6, 6, 6, 6
_ROOT = Path(__file__).resolve().parents[2]


def plain_cause(error, request_log=(), app_dir=None):
    """A failure whose cause is not known, said in words: {"zh": (cause, change), "en": (cause, change)}.

    The cause tells what the test sent (its last requests, from last_requests(): method, path, the status that
    came back), then what it expected and what it found (a failed assert's values, its message, or its source),
    or, for an exception of the app, what it means and the student's file and line where it was raised (a file
    under app_dir if given, else any file outside the course's tests and tools, Python and its packages). The
    change says where to look. Never a bare `assert 0 != 0` or an exception's name alone.
    """
    if isinstance(error, Mistake):
        return dict(error.texts)
    if error is None or isinstance(error, str):  # only pytest's text of the failure (report.longrepr)
        lines = [re.sub(r"^E\s+", "", line) for line in str(error or "").splitlines()
                 if not re.match(r"\s*([_=-])\1{3,}", line)]
        error = AssertionError("\n".join(lines))
    error = _first_of_group(error)
    requests = [entry for entry in request_log if entry.get("method")]
    texts = {}
    for lang in ("zh", "en"):
        words = PLAIN[lang]
        if _is_check(error):
            found = _what_the_check_found(error, lang)
            change = _change_for_requests(requests, lang)
        else:
            found, change = _what_the_app_raised(error, lang, app_dir)
        if requests:
            cause = words["sentence"].format(sent=_sent(requests, lang), found=found)
        else:
            cause = words["alone"].format(found=found[:1].upper() + found[1:])
        texts[lang] = (re.sub(r"([.!?。！？])[.。]$", r"\1", cause), change)
    return texts


def _first_of_group(error):
    """The first exception of an exception group (Hypothesis, or several at once), else the error itself."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


def _is_check(error):
    """A check of the test that failed (an assert, pytest.fail, pytest.raises), not an exception of the app."""
    return isinstance(error, AssertionError) or type(error).__name__ == "Failed"


def _sent(requests, lang):
    """"The test sent POST /tasks (answered 302), then GET /tasks (answered 200)": its last two requests."""
    words = PLAIN[lang]
    shown = []
    for entry in requests[-2:]:
        path = entry["path"] if len(entry["path"]) <= 80 else entry["path"][:77] + "..."
        key = "answered" if entry.get("status") else "raised" if entry.get("error") else "request"
        shown.append(words[key].format(method=entry["method"], path=path, status=entry.get("status")))
    return words["sent"].format(requests=words["then"].join(shown))


def _change_for_requests(requests, lang):
    """Where to look for a failed check: the last request, sent again by the student, or the test itself."""
    words = PLAIN[lang]
    if not requests:
        return words["change_none"]
    last = requests[-1]
    path = last["path"].split("?")[0] if len(last["path"]) > 80 else last["path"]
    return words["change_get" if last["method"] in ("GET", "HEAD") else "change_post"].format(
        method=last["method"], path=path)


def _short(value, lang):
    """A value as a student reads it: its repr, cut short; a whole page is "the page"."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str) and len(value) > 60:
        return PLAIN[lang]["page" if "<html" in value[:500].lower() or "<!doctype" in value[:200].lower()
                           else "text"]
    if type(value).__name__ == "Markup":
        value = str(value)
    try:
        return _SHORT.repr(value)
    except Exception:  # a repr of the student's object that fails
        return f"<{type(value).__name__}>"


def _what_the_check_found(error, lang):
    """What a failed check expected and found, in words."""
    words = PLAIN[lang]
    text = str(error)
    lines = text.splitlines()
    # A rewritten assert's text: the test's own message, if it has one, then "assert ..." and its explanation.
    cut = next((index for index, line in enumerate(lines) if line.startswith("assert ")), len(lines))
    message = _telling_line(lines[:cut])[:200]
    if type(error).__name__ == "Failed":
        raised = re.match(r"DID NOT RAISE (?:<class '(?:[\w.]+\.)?(\w+)'>|(\w+))", message)
        if raised:
            return words["not_raised"].format(name=raised.group(1) or raised.group(2))
        return words["message"].format(message=message) if message else words["failed"]
    regex = re.search(r"Expected regex: (.*)\n\s*Actual message: (.*)", text)
    if regex:
        return words["regex"].format(pattern=regex.group(1)[:80], found=regex.group(2)[:120])
    command = re.search(r"No such command '([\w-]+)'", text)
    if command:
        return words["no_command"].format(command=command.group(1))
    comparison = _comparison_of(error) or (_comparison_in_text(lines[cut][len("assert "):]) if cut < len(lines)
                                           else None)
    if message:  # the test's own message says what it expected
        if comparison and comparison[0] == "==" and not isinstance(comparison[1], _Unknown):
            _, found, expected, _ = comparison
            return words["message_values"].format(message=message, expected=_short(expected, lang),
                                                  found=_short(found, lang))
        return words["message"].format(message=message)
    if comparison:
        return _compared(*comparison, lang=lang)
    source = _assert_source(error) or (_source_in_text(lines[cut:]) if cut < len(lines) else None)
    return words["true"].format(source=source) if source else words["failed"]


def _source_in_text(lines):
    """What pytest's text says was checked: "assert False" and "+  where False = <Flask 'x'>.testing" give
    "<Flask 'x'>.testing"; a short "assert ..." line its expression; else None."""
    where = re.match(r"\s*\+\s+where \S+ = (.+)", lines[1]) if len(lines) > 1 else None
    if where:
        return where.group(1).strip()[:120]
    expression = lines[0][len("assert "):].strip()
    return expression if expression and len(expression) <= 120 and expression not in ("False", "None") else None


def _comparison_in_text(expression):
    """(op, left, right, None) from the text of pytest's "assert 404 == 200", when it compares two values that
    Python can read back (numbers, strings, lists, dicts, sets), else None."""
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(tree, ast.Compare) or len(tree.ops) != 1 or type(tree.ops[0]) not in _OPERATORS:
        return None
    sides = []
    for side in (tree.left, tree.comparators[0]):
        try:
            sides.append(ast.literal_eval(side))
        except (ValueError, SyntaxError, TypeError):
            sides.append(_Unknown(ast.unparse(side)))
    return _OPERATORS[type(tree.ops[0])], sides[0], sides[1], expression.strip()


def _telling_line(lines):
    """The line of a test's message that says most: its first, or, in a program's output that the message holds
    (a traceback, a pytest run), the exception or the first failure."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return ""
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        raised = [line for line in lines if re.match(r"[\w.]+(Error|Exception|Exit|Violation)\b", line)]
        if raised:
            return raised[-1]
    failures = [line for line in lines if re.match(r"(FAILED|ERROR) \S", line)]
    if failures:
        return failures[0]
    summary = [line for line in lines if re.search(r"\b\d+ (failed|errors?)\b", line)]
    if summary and len(lines) > 3:
        return summary[-1]
    # "No test noticed:" and a list: the first item with it.
    return f"{lines[0]} {lines[1]}" if lines[0].endswith(":") and len(lines) > 1 else lines[0]


# A response header the test read: headers.get("X-Frame-Options"), headers["Location"].
_HEADER_READ = re.compile(r"""^\w+(?:\.\w+)*\.headers(?:\.get\(|\[)\s*['"]([A-Za-z0-9-]+)['"]\s*[)\]]$""")


def _compared(op, left, right, source, lang):
    """A failed comparison in words: the left side is what the test found, the right what it expected."""
    words = PLAIN[lang]
    header = _header_read(source)
    if header and op in ("==", "in") and not isinstance(left, _Unknown) and not isinstance(right, _Unknown):
        if op == "in":
            return words["header_one_of"].format(header=header, expected=_short(right, lang), found=_short(left, lang))
        if left is None:
            return words["header_missing"].format(header=header, expected=_short(right, lang))
        return words["header"].format(header=header, expected=_short(right, lang), found=_short(left, lang))
    if isinstance(left, _Unknown):  # what was found (or looked for) is a call: the assert's source says it
        if op == "==" and not isinstance(right, _Unknown):
            return words["equal_unread"].format(source=left.source, expected=_short(right, lang))
        return words["true"].format(source=source) if source else words["failed"]
    if op == "==":
        return words["equal"].format(expected=_short(right, lang), found=_short(left, lang))
    if op == "!=":
        return words["not_equal"].format(expected=_short(right, lang))
    if op in ("in", "not in"):
        where = _short(right, lang)
        if lang == "zh" and where not in (words["page"], words["text"]):
            where = f" {where} "  # a space between Chinese and a value
        return words["in" if op == "in" else "not_in"].format(needle=_short(left, lang), where=where)
    if op == "<=" and isinstance(left, (set, frozenset)) and isinstance(right, (set, frozenset)):
        return words["subset"].format(expected=_short(left, lang), missing=_short(set(left) - set(right), lang))
    if op == "is" and right is None:
        return words["none"].format(found=_short(left, lang))
    if op == "is not" and right is None:
        return words["value"]
    if op in ("<", "<=", ">", ">="):
        return words["order"].format(op=op, expected=_short(right, lang), found=_short(left, lang))
    return words["true"].format(source=source) if source else words["failed"]


def _header_read(source):
    """The name of the response header that the left side of an assert's source reads, else None."""
    if not source:
        return None
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(tree, ast.Compare):
        return None
    found = _HEADER_READ.match(ast.unparse(tree.left))
    return found.group(1) if found else None


class _Unknown:
    """A side of a comparison that cannot be read again safely (a call): shown as its source."""

    def __init__(self, source):
        self.source = source

    def __repr__(self):
        return self.source


def _comparison_of(error):
    """(op, left, right, source) of the assert that raised error, or None: the values pytest passed to
    pytest_assertrepr_compare in that very frame, else the sides of the assert's source, read again in its
    frame when they are names, attributes, subscripts and constants only (an assert that pytest did not
    rewrite: the tests that one step takes from another)."""
    frame, node = _assert_of(error)
    source = ast.unparse(node.test) if node is not None else None
    if frame is not None and _COMPARISON.get("frame") == id(frame) and _COMPARISON.get("code") is frame.f_code:
        return _COMPARISON["op"], _COMPARISON["left"], _COMPARISON["right"], source
    if node is None or not isinstance(node.test, ast.Compare) or len(node.test.ops) != 1:
        return None
    op = _OPERATORS.get(type(node.test.ops[0]))
    if op is None:
        return None
    left, right = (_read_again(side, frame) for side in (node.test.left, node.test.comparators[0]))
    if isinstance(left, _Unknown) and isinstance(right, _Unknown):
        return None
    return op, left, right, source


_OPERATORS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
              ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}
_READABLE = (ast.Name, ast.Load, ast.Attribute, ast.Constant, ast.Subscript, ast.Tuple, ast.List, ast.Set,
             ast.UnaryOp, ast.USub, ast.Not, ast.Slice)


def _read_again(node, frame):
    """The value of one side of an assert, read again in its frame; _Unknown when that could do something
    (a call, an operator) or fails."""
    source = ast.unparse(node)
    if any(not isinstance(part, _READABLE) or (isinstance(part, ast.Attribute) and part.attr.startswith("_"))
           for part in ast.walk(node)):
        return _Unknown(source)
    try:
        return eval(compile(ast.Expression(body=node), "<assert>", "eval"), {"__builtins__": {}},
                    {**frame.f_globals, **frame.f_locals})
    except Exception:
        return _Unknown(source)


def _assert_of(error):
    """(the frame that raised error, the assert statement there), each None when unknown."""
    tb = error.__traceback__
    if tb is None:
        return None, None
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame
    tree = _parsed(frame.f_code.co_filename)
    if tree is None:
        return frame, None
    line = tb.tb_lineno
    found = [node for node in ast.walk(tree) if isinstance(node, ast.Assert)
             and node.lineno <= line <= (node.end_lineno or node.lineno)]
    return frame, (max(found, key=lambda node: node.lineno) if found else None)


@functools.lru_cache(maxsize=64)
def _parsed(filename):
    """The module at filename as a syntax tree (the tests' modules do not change during a run), or None."""
    try:
        return ast.parse("".join(linecache.getlines(filename)) or Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None


def _assert_source(error):
    """The source of the failed assert's condition, cut short, or None."""
    _, node = _assert_of(error)
    if node is None:
        return None
    source = ast.unparse(node.test)
    return source if len(source) <= 120 else source[:117] + "..."


def _what_the_app_raised(error, lang, app_dir=None):
    """(found, change) for an exception: what it means, and the student's line that raised it if there is one."""
    words = PLAIN[lang]
    name = type(error).__name__
    message = (str(error).strip().splitlines() or [""])[0][:200]
    template = EXCEPTION_WORDS.get(name, ("{message}", "{message}"))[0 if lang == "zh" else 1]
    meaning = template.format(message=message) if message else name
    frame = _students_frame(error, app_dir)
    if frame is None:
        return words["app_raised"].format(name=name, words=meaning), words["change_raised"].format(name=name)
    where = dict(file=_shown_path(frame.filename, app_dir), line=frame.lineno, name=name)
    code = (frame.line or "").strip()
    code = code if len(code) <= 80 else code[:77] + "..."
    return (words["app_raised_at"].format(code=code, words=meaning, **where),
            words["change_raised_at"].format(**where))


def _not_the_students():
    """The folders whose files are not the student's: Python's, its packages', the course's tests and tools."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(_ROOT / "tests"), str(_ROOT / "tools"),
             str(_ROOT / "tutorial.py"), str(_ROOT / ".venv")}
    paths |= {value for key, value in sysconfig.get_paths().items() if key in ("stdlib", "platstdlib", "purelib",
                                                                                "platlib")}
    return [Path(path).resolve() for path in paths if path]


def _students_frame(error, app_dir=None):
    """The last frame of the error's traceback in a file of the student's (under app_dir if given)."""
    others = _not_the_students()
    chosen = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith("<"):
            continue
        path = Path(frame.filename).resolve()
        if app_dir is not None:
            if path.is_relative_to(Path(app_dir).resolve()):
                chosen = frame
        elif not any(path.is_relative_to(other) for other in others):
            chosen = frame
    return chosen


def _shown_path(filename, app_dir=None):
    """A file as the student knows it: relative to their folder (the check runs in a copy of it)."""
    path = Path(filename).resolve()
    for base in ([Path(app_dir)] if app_dir else []) + [Path.cwd(), _ROOT / "steps"]:
        base = base.resolve()
        if path.is_relative_to(base) and path != base:
            shown = path.relative_to(base).as_posix()
            return shown.split("/", 1)[1] if base == (_ROOT / "steps").resolve() and "/" in shown else shown
    return "/".join(path.parts[-2:])
