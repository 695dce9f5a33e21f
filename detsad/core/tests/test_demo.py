"""Demo data details a person notices (QA of issue 2)."""

import random

import pytest
from faker import Faker

from detsad.core.demo import surname_first


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Журавлева Феврония Павловна", "Журавлева Феврония Павловна"),
        ("Юлия Федоровна Гаврилова", "Гаврилова Юлия Федоровна"),  # Faker's other order
        ("г-жа Журавлева Феврония Павловна", "Журавлева Феврония Павловна"),
        ("тов. Смирнова Анна Ильинична", "Смирнова Анна Ильинична"),
        ("Анна Кузьминична Лукина", "Лукина Анна Кузьминична"),
    ],
)
def test_head_names_are_written_surname_first(written, expected):
    """QA: the head of «МБДОУ д/с № 1» logged in as «Юлия Ф.Г.» — Faker writes Russian
    names in two orders and the demo took the first word for the surname."""
    assert surname_first(written) == expected


def test_every_faker_female_name_comes_out_surname_first():
    fake = Faker("ru_RU")
    fake.seed_instance(7)
    random.seed(7)
    for _ in range(200):
        last, first, middle = surname_first(fake.name_female()).split()
        assert middle.endswith("на"), (last, first, middle)
        assert not first.endswith("вна")
