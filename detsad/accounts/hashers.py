"""The password hashers: Argon2id with OWASP's parameters, and the one for issued
temporary passwords.

Chosen passwords are hashed with Argon2id (slow on purpose: people pick guessable ones)
with the parameters the OWASP Password Storage Cheat Sheet gives as its first option:
19 MiB of memory, 2 iterations, 1 lane (`Argon2Hasher`). Django's defaults (100 MiB, 8
lanes) cost several times more CPU and memory per login for no gain on a 2-core server,
and the morning peak is 300 logins in a few minutes. Hashes made with other parameters
still verify and are re-hashed with these at the next login (Django's ``must_update``).

A temporary password is 12 random characters from a 31-letter alphabet (≈ 59 bits), works
once and only until it is used; its strength comes from that randomness, not from a slow
hash. PBKDF2 with 20,000 rounds keeps it out of reach (≈ 10^5 guesses a second on a GPU
→ millions of years) while a batch of 60 slips is hashed in a fraction of a second instead
of the seconds Argon2 needs. Never used for a password a person chooses.
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher, make_password


class Argon2Hasher(Argon2PasswordHasher):
    """Argon2id, OWASP parameters: memory 19,456 KiB, time cost 2, parallelism 1."""

    time_cost = 2
    memory_cost = 19_456  # KiB = 19 MiB
    parallelism = 1


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
