"""Password hashing: Argon2id with OWASP's parameters in the project settings (issue 7)."""

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings

from detsad.accounts.hashers import Argon2Hasher
from detsad.settings import base

HASHER = "detsad.accounts.hashers.Argon2Hasher"


def test_the_project_hashes_new_passwords_with_argon2id_19_mib_2_iterations_1_lane():
    assert base.PASSWORD_HASHERS[0] == HASHER
    assert "django.contrib.auth.hashers.Argon2PasswordHasher" not in base.PASSWORD_HASHERS
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("утро-понедельника-2026")
        assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert check_password("утро-понедельника-2026", encoded)
        assert not check_password("утро-вторника-2026", encoded)


def test_a_hash_with_djangos_default_parameters_verifies_and_is_renewed():
    """Hashes stored before the change (Django's 100 MiB, 8 lanes) still log in; Django
    re-hashes them with the new parameters (``must_update``)."""
    old = Argon2Hasher()
    old.memory_cost, old.parallelism = 102_400, 8
    encoded = old.encode("старый-пароль-2025", old.salt())
    assert "m=102400,t=2,p=8" in encoded
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        hasher = identify_hasher(encoded)
        assert isinstance(hasher, Argon2Hasher)
        assert hasher.verify("старый-пароль-2025", encoded)
        assert hasher.must_update(encoded)
        assert not hasher.must_update(make_password("новый-пароль-2026"))
