"""Exercise 3 of step 09: deleting one's account and its tasks, with the password, and nobody else's."""
from support.accounts import PASSWORD, Account, location_path, sign_in, user_id
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def delete(account, password):
    return account.forms.submit("/account/delete", "/account/delete", {"password": password})


def test_a_visitor_is_sent_to_the_sign_in_form(anonymous):
    response = anonymous.get("/account/delete")
    assert response.status_code == 302 and location_path(response) == "/login", say(
        "没有登录的访客打开 /account/delete 应该被重定向到登录表单，现在回答 {status}。",
        "A visitor who is not signed in should be redirected from /account/delete to the sign-in form; it answered "
        "{status}.", status=response.status_code)


def test_the_account_and_its_tasks_go_and_nobody_elses(app, users):
    ada, grace = users("ada", "grace")
    ada.add_all("Ada's first task", "Ada's second task")
    grace.add_all("Grace's task")
    response = delete(ada, PASSWORD)
    assert response.status_code == 302 and location_path(response) == "/", say(
        "用正确的密码删除账户之后应该重定向到首页 /，现在回答 {status}。",
        "Once the account is deleted with the right password, the answer should redirect to the home page /; "
        "it answered {status}.", status=response.status_code)
    assert "Your account is deleted." in ada.client.get("/").get_data(as_text=True), say(
        "首页上应该闪现 “Your account is deleted.”。", "The home page should flash “Your account is deleted.”.")
    assert user_id(app, "ada") is None, say("users 表里不应该再有 ada。", "The users table should no longer hold ada.")
    assert ada.summaries() == [] and grace.summaries() == ["Grace's task"], say(
        "ada 的任务应该和账户一起删除，grace 的任务留着：数据库里 ada 的是 {ada}，grace 的是 {grace}。",
        "Ada's tasks should go with her account, and Grace's stay: the database holds {ada} of Ada's and {grace} of "
        "Grace's.", ada=ada.summaries(), grace=grace.summaries())
    assert location_path(ada.client.get("/tasks")) == "/login", say(
        "删除账户之后，这个浏览器应该已经退出登录：/tasks 应该转到登录表单。",
        "Once the account is deleted this browser is signed out: /tasks should lead to the sign-in form.")
    assert sign_in(ada.forms, "ada", PASSWORD).status_code == 401, say(
        "删除的账户不应该还能登录。", "A deleted account should no longer sign in.")
    assert grace.counts() == {"total": 1, "pending": 1, "done": 0}, say(
        "grace 的计数不应该变。", "Grace's counts should not change.")


def test_a_wrong_password_deletes_nothing(app, users):
    ada = users("ada")
    ada.add_all("Ada's task")
    response = delete(ada, "not my password")
    assert response.status_code == 400 and "Wrong password." in response.get_data(as_text=True), say(
        "密码错误时应该回答 400，并说 “Wrong password.”，现在回答 {status}。",
        "With a wrong password the answer should be 400, saying “Wrong password.”; it answered {status}.",
        status=response.status_code)
    assert user_id(app, "ada") is not None and ada.summaries() == ["Ada's task"], say(
        "密码错误时，账户和任务都不应该被删除。", "With a wrong password, neither the account nor its tasks should go.")
    assert ada.client.get("/tasks").status_code == 200, say("密码错误时，用户应该仍然登录着。",
                                                           "With a wrong password, the user stays signed in.")


def test_the_name_is_free_again(app, users):
    ada = users("ada")
    ada.add_all("Ada's task")
    delete(ada, PASSWORD)
    again = Account(app, "ada")
    assert again.counts() == {"total": 0, "pending": 0, "done": 0}, say(
        "用同一个名字重新注册的账户应该从零个任务开始。", "An account signed up again under the same name starts with no tasks.")
