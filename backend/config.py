"""Configuration defaults. The environment is read only by `load()`, called inside create_app."""
import os
import secrets

DEFAULTS = {
    "SECRET_KEY": None,  # generated and kept in the instance folder when not given
    "SQLALCHEMY_DATABASE_URI": None,  # defaults to instance/bedside.sqlite
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # PostgreSQL faults (docs/operations.md): seconds to open a connection, a statement's limit on the server, how
    # long the app waits for any one answer of the database before it drops the connection (20: the tablet's own
    # request timeout), and for a pooled connection. 0 turns a limit off. The command line (`bedside ...`:
    # migrations, backups, month closes and imports run by an operator) has no statement or answer limit.
    "DATABASE_CONNECT_TIMEOUT": 5,
    "DATABASE_STATEMENT_TIMEOUT": 15,
    "DATABASE_ANSWER_TIMEOUT": 20,
    "DATABASE_POOL_TIMEOUT": 10,
    "SESSION_COOKIE_NAME": "bedside_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Strict",
    "SESSION_COOKIE_SECURE": False,
    # Server session limits: idle timeout and an absolute limit of one shift.
    "SESSION_IDLE_SECONDS": 2 * 3600,
    "SESSION_ABSOLUTE_SECONDS": 12 * 3600,
    # Shared tablets: how long a PIN stands in for the password, wrong PINs before the password is needed again,
    # and the idle time after which the screen locks (all sent to the tablet at sign-in).
    "PIN_VALID_DAYS": 14,
    "PIN_MAX_FAILURES": 5,
    "IDLE_LOCK_SECONDS": 300,
    # Login throttling (stored in the database, so shared by every gunicorn worker).
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 100,
    "PULL_PAGE_SIZE": 1000,
    "PULL_HISTORY_DAYS": 2,
    "SLOT_GRACE_MINUTES": 60,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": None,
    "LANGUAGES": ["ru", "zh_Hans", "en"],
    "FRONTEND_DIR": None,
    "SERVER_EPOCH": None,  # read from the database; a restore changes it
    # Fonts of the care-card PDF (backend/pdf_card.py); empty: the first found of its DEFAULT_FONTS.
    "PDF_FONT_REGULAR": "",
    "PDF_FONT_BOLD": "",
    "PDF_FONT_CJK": "",
    "TESTING": False,
}

ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "DATABASE_CONNECT_TIMEOUT": "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT": "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_ANSWER_TIMEOUT": "DATABASE_ANSWER_TIMEOUT",
    "DATABASE_POOL_TIMEOUT": "DATABASE_POOL_TIMEOUT",
    "SECRET_KEY": "SECRET_KEY",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "SESSION_IDLE_SECONDS": "SESSION_IDLE_SECONDS",
    "SESSION_ABSOLUTE_SECONDS": "SESSION_ABSOLUTE_SECONDS",
    "BEDSIDE_FRONTEND_DIR": "FRONTEND_DIR",
    "PIN_VALID_DAYS": "PIN_VALID_DAYS",
    "IDLE_LOCK_SECONDS": "IDLE_LOCK_SECONDS",
    "BEDSIDE_PDF_FONT_REGULAR": "PDF_FONT_REGULAR",
    "BEDSIDE_PDF_FONT_BOLD": "PDF_FONT_BOLD",
    "BEDSIDE_PDF_FONT_CJK": "PDF_FONT_CJK",
}


def _coerce(value, default):
    if isinstance(default, bool):
        return value.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(value)
    return value


def load(environ, instance_path, overrides=None):
    """Build the configuration mapping from defaults, the environment and explicit overrides."""
    cfg = dict(DEFAULTS)
    for env_key, cfg_key in ENV_KEYS.items():
        if environ.get(env_key):
            cfg[cfg_key] = _coerce(environ[env_key], DEFAULTS[cfg_key])
    cfg.update(overrides or {})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not cfg["SQLALCHEMY_DATABASE_URI"]:
        cfg["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(instance_path, "bedside.sqlite")
    cfg["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = postgres_engine_options(
            cfg["SQLALCHEMY_ENGINE_OPTIONS"], connect_timeout=cfg["DATABASE_CONNECT_TIMEOUT"],
            statement_timeout=cfg["DATABASE_STATEMENT_TIMEOUT"], pool_timeout=cfg["DATABASE_POOL_TIMEOUT"])
    cfg["BABEL_TRANSLATION_DIRECTORIES"] = cfg["BABEL_TRANSLATION_DIRECTORIES"] or os.path.join(root, "translations")
    cfg["FRONTEND_DIR"] = cfg["FRONTEND_DIR"] or os.path.join(root, "frontend")
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = _instance_secret(instance_path)
    return cfg


def normalise_db_url(url):
    """Accept plain postgres:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


#: Every statement planned for its own values. psycopg prepares a statement on the server after five runs, and
#: PostgreSQL then may settle on one generic plan for it: a push's "which of these ids are stored" (WHERE id IN
#: 100 values) got a sequential scan of the whole entry table while the table grew (a push of 100 entries went
#: from 26 to 110 ms, at 10,000 to 100,000 stored, until autovacuum analysed the table; issue 6, benchmarks/push.py).
#: Planning these short statements afresh costs far less than one wrong plan.
POSTGRES_SESSION_OPTIONS = "-c plan_cache_mode=force_custom_plan"


#: A pooled connection is replaced after this many seconds (a firewall or NAT may drop idle ones silently).
POOL_RECYCLE_SECONDS = 1800


def postgres_engine_options(options, connect_timeout=0, statement_timeout=0, pool_timeout=0):
    """The engine options with the PostgreSQL session settings added to any given connect_args, and what rides
    out database faults (issue 14): every pooled connection checked before use (a database restart leaves them all
    dead) and recycled, and the given limits in seconds (0: none; given options and connect_args stand)."""
    options = dict(options or {})
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_recycle", POOL_RECYCLE_SECONDS)
    if pool_timeout:
        options.setdefault("pool_timeout", pool_timeout)
    connect_args = dict(options.get("connect_args") or {})
    if connect_timeout:
        connect_args.setdefault("connect_timeout", connect_timeout)
    given = connect_args.get("options", "")
    session_options = [given] if given else []
    if "plan_cache_mode" not in given:
        session_options.append(POSTGRES_SESSION_OPTIONS)
    if statement_timeout and "statement_timeout" not in given:
        session_options.append(f"-c statement_timeout={int(statement_timeout * 1000)}")
    connect_args["options"] = " ".join(session_options)
    options["connect_args"] = connect_args
    return options


def _instance_secret(instance_path):
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        with open(path, "w") as fh:
            fh.write(secrets.token_hex(32))
        os.chmod(path, 0o600)
    with open(path) as fh:
        return fh.read().strip()
