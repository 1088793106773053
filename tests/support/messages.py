"""What a student reads when a check fails, in Chinese and in English.

    say(zh, en)                  one message in the language of this run (COURSE_LANG=zh|en; English by default)
    raise Mistake("csrf-missing", page="/signup", action="/signup")
                                 a failure with a known cause: its text in both languages, and the concept
                                 that teaches it (the coach, tools/check.py, puts that concept first)
    CAUSES[tag]                  every known cause: the anchor of its section, and (cause, what to change)
                                 in "zh" and "en"; the site may show the same texts

Add a cause by adding a row to CAUSES; its texts are str.format templates filled from Mistake's keywords.
"""
import os
import sqlite3


def language():
    """The language a run reports in: "zh" or "en" (tools/check.py sets COURSE_LANG from --lang or the locale)."""
    return "zh" if os.environ.get("COURSE_LANG") == "zh" else "en"


def say(zh, en, **values):
    """The message in this run's language, with {names} filled in from values."""
    text = zh if language() == "zh" else en
    return text.format(**values) if values else text


# tag: anchor of the section that teaches it, then (the cause, what to change) in each language.
CAUSES = {
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
        "zh": ("url_for 找不到端点：{error}", "url_for 里写的是视图函数的名字：检查拼写，或者给这一步加上那个路由。"),
        "en": ("url_for found no such endpoint: {error}",
               "url_for takes the view function's name: check its spelling, or add that route to this step."),
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
    },    "no-migration": {
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
        return Mistake("url-build-error", error=text)
    if isinstance(error, AttributeError) and "'AnonymousUserMixin' object has no attribute" in text:
        return Mistake("login-required", error=text)
    if type(error).__module__.startswith("sqlalchemy") and any(
            words in text for words in ("no such table", "no such column", "has no column named", "does not exist")):
        # Step 10 on: the tables come from the migrations, so a table or a column the database lacks is a
        # migration that was not written or not run (or db.create_all() in their place).
        return Mistake("no-migration", error=text)
    return None


def expect_redirect(response, action):
    """A POST that worked answers with a redirect (Post/Redirect/Get)."""
    expect(response.status_code in (302, 303), "no-redirect", action=action, status=response.status_code)
