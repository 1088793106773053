"""Exercise 1 of step 08: a stats page in a blueprint of its own, registered by create_app()."""
import re

from support import visible_text
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def test_the_stats_blueprint_is_registered_by_create_app(app_module):
    app = app_module.create_app()
    assert "stats" in app.blueprints, say(
        "create_app() 没有注册名为 stats 的蓝图：在 taskman/stats.py 里写 bp = Blueprint(\"stats\", __name__)，"
        "再在 create_app() 里 app.register_blueprint(stats.bp)。",
        "create_app() registers no blueprint named stats: write bp = Blueprint(\"stats\", __name__) in "
        "taskman/stats.py, then app.register_blueprint(stats.bp) in create_app().")
    endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints.get("/stats") == "stats.stats", say(
        "/stats 应该由 stats 蓝图的视图 stats 回答（url_for(\"stats.stats\")），现在是 {endpoint}。",
        "/stats should be answered by the stats blueprint's view stats (url_for(\"stats.stats\")), not {endpoint}.",
        endpoint=endpoints.get("/stats"))


def test_the_stats_page_counts_the_tasks(client, tasks):
    first, _, _ = tasks.add_all("Buy milk", "Write a letter", "Learn Flask")
    tasks.toggle(first)
    response = client.get("/stats")
    assert response.status_code == 200, say("/stats 回答了 {status}，应该是 200。",
                                            "/stats answered {status}, expected 200.", status=response.status_code)
    text = visible_text(response)
    for label, number in (("Tasks", 3), ("Done", 1), ("Open", 2)):
        assert re.search(rf"\b{label}\b\W*{number}\b", text), say(
            "三个任务、其中一个完成时，/stats 应该在 {label} 后面显示 {number}。页面上的文字：{text}",
            "With three tasks, one of them done, /stats should show {number} after {label}. The page says: {text}",
            label=label, number=number, text=text[-300:])


def test_the_stats_page_is_in_the_layout_and_the_docs_link_to_it(client):
    html = client.get("/stats").get_data(as_text=True)
    assert 'href="/docs"' in html, say("/stats 应该继承 base.html，带着网站的导航。",
                                       "/stats should extend base.html, with the site's navigation.")
    assert 'href="/stats"' in client.get("/docs").get_data(as_text=True), say(
        "文档页（docs.html）应该链接到 /stats，用 url_for(\"stats.stats\")。",
        "The docs page (docs.html) should link to /stats, with url_for(\"stats.stats\").")
