import pytest

from detsad.core.text import count


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1 место"),
        (2, "2 места"),
        (5, "5 мест"),
        (11, "11 мест"),
        (12, "12 мест"),
        (21, "21 место"),
        (22, "22 места"),
        (111, "111 мест"),
    ],
)
def test_russian_plural(n, text):
    assert count(n, "место", "места", "мест") == text
