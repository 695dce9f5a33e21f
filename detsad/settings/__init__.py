"""Default settings: local development and `make run` (see base.py for every option)."""

from .base import *  # noqa: F403
