import pytest
from werkzeug.security import generate_password_hash


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """Cheap pbkdf2 for the demo's passwords (checking still goes through werkzeug)."""
    monkeypatch.setattr("backend.services.auth.hash_password",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))
