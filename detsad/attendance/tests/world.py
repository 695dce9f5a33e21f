"""Attendance reference data of the shared test world: the standard absence reasons
(Б О К Р С У valid, Н not) for both municipalities."""

from detsad.attendance.services import absence_reasons_seed


def build(world) -> None:
    absence_reasons_seed(world.municipality)
    absence_reasons_seed(world.other_municipality)
