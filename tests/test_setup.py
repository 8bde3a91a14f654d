"""`bedside setup`: the first run on an empty database makes the home and its first administrator, whose password
is typed at a hidden prompt (or read from standard input), never taken from the command line or printed."""
from backend.cli import setup_command
from backend.extensions import db
from backend.models import AuditEvent, Home, User

from .conftest import Api

ARGS = ["--home-name", "Дом ветеранов «Берёзка»", "--timezone", "Asia/Krasnoyarsk", "--locale", "ru",
        "--admin-username", "A.Petrova", "--admin-name", "Анна Петрова"]
GOOD = "снег идёт над рекой"


def run(app, args, stdin=None):
    return app.test_cli_runner().invoke(setup_command, args, input=stdin)


def test_setup_with_flags_and_the_password_on_stdin(empty_app):
    app = empty_app
    result = run(app, ARGS + ["--password-stdin"], GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output
    with app.app_context():
        home = Home.query.one()
        admin = User.query.one()
        assert (home.name, home.timezone, home.locale) == ("Дом ветеранов «Берёзка»", "Asia/Krasnoyarsk", "ru")
        assert (admin.username, admin.role, admin.home_id, admin.must_change_password) == ("a.petrova", "admin",
                                                                                          home.id, False)
        assert GOOD not in " ".join(str(a.detail) for a in AuditEvent.query)
        db.session.remove()
    api = Api(app.test_client())
    assert api.login("a.petrova", GOOD, device_id="office")["role"] == "admin"
    assert api.get("/api/organisation")[1]["units"] == []  # an empty home, ready for its units


def test_interactive_setup_asks_again_after_a_refused_password(empty_app):
    app = empty_app
    answers = "\n".join(["Дом у моря", "Asia/Shanghai", "zh_Hans", "wang.li", "王丽",
                         "12345678", "12345678",  # refused: common
                         GOOD, "another one",  # the repeat does not match
                         GOOD, GOOD]) + "\n"
    result = run(app, [], answers)
    assert result.exit_code == 0, result.output
    assert "common" in result.output and GOOD not in result.output
    with app.app_context():
        assert Home.query.one().timezone == "Asia/Shanghai"
        assert User.query.one().username == "wang.li"


def test_setup_refuses_a_weak_password_from_stdin_and_writes_nothing(empty_app):
    app = empty_app
    result = run(app, ARGS + ["--password-stdin"], "password1\n")
    assert result.exit_code != 0 and "refused" in result.output
    result = run(app, ARGS + ["--password-stdin"], "anna petrova 2026\n")  # her own name
    assert result.exit_code != 0
    with app.app_context():
        assert Home.query.count() == 0 and User.query.count() == 0


def test_setup_refuses_a_wrong_time_zone(empty_app):
    app = empty_app
    result = run(app, ARGS[:3] + ["Mars/Olympus"] + ARGS[4:] + ["--password-stdin"], GOOD + "\n")
    assert result.exit_code != 0 and "time zone" in result.output


def test_setup_refuses_a_database_that_holds_a_home(empty_app):
    assert run(empty_app, ARGS + ["--password-stdin"], GOOD + "\n").exit_code == 0
    demo = empty_app
    result = run(demo, ARGS[:-1] + ["Другая"] + ["--password-stdin"], GOOD + "\n")
    assert result.exit_code == 1 and "already holds a care home" in result.output
    with demo.app_context():
        assert User.query.count() == 1 and Home.query.count() == 1
