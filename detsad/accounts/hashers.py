"""The hasher for issued temporary passwords.

Chosen passwords are hashed with Argon2 (slow on purpose: people pick guessable ones).
A temporary password is 12 random characters from a 31-letter alphabet (≈ 59 bits), works
once and only until it is used; its strength comes from that randomness, not from a slow
hash. PBKDF2 with 20,000 rounds keeps it out of reach (≈ 10^5 guesses a second on a GPU
→ millions of years) while a batch of 60 slips is hashed in a fraction of a second instead
of the ~15 s Argon2 needs. Never used for a password a person chooses.
"""

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password


class TemporaryPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_temp"
    iterations = 20_000


def hash_temporary(password: str) -> str:
    """The stored form of an issued temporary password (falls back to the default hasher
    where settings do not list this one, e.g. the test settings' MD5)."""
    path = f"{TemporaryPasswordHasher.__module__}.{TemporaryPasswordHasher.__qualname__}"
    if path in settings.PASSWORD_HASHERS:
        return make_password(password, hasher=TemporaryPasswordHasher.algorithm)
    return make_password(password)
