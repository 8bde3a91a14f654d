"""Password hashes (Werkzeug's salted scrypt/pbkdf2), for the services: they import no web framework."""
from werkzeug.security import check_password_hash, generate_password_hash

__all__ = ["check_password_hash", "generate_password_hash"]
