"""Reading children lists from spreadsheets (issue 2 item 8): pure code, no database.

- `reader`: XLSX/CSV bytes → tables of cells (type, size, encoding and separator checks);
- `columns`: the header row and the meaning of each column by its Russian name;
- `values`: dates, sex, names, groups as people write them;
- `rows`: a `ChildRow` per child with its personal data checked and its `Fault` list.

The orchestration that matches rows against the database and writes children, guardians,
accounts and enrollment events is ``detsad.movement.children_import`` (movement may import
people, not the reverse).
"""

from .columns import Header, classify, normalize_header
from .reader import MAX_BYTES, MAX_ROWS, check_upload, read_tables
from .rows import (
    ChildRow,
    Fault,
    GuardianRow,
    ParsedFile,
    certificate_key,
    child_key,
    normalize_certificate,
    parse_children_file,
)
from .values import detail, group_name_in, match_group, parse_date, parse_sex

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ChildRow",
    "Fault",
    "GuardianRow",
    "Header",
    "ParsedFile",
    "certificate_key",
    "check_upload",
    "child_key",
    "classify",
    "detail",
    "group_name_in",
    "match_group",
    "normalize_certificate",
    "normalize_header",
    "parse_children_file",
    "parse_date",
    "parse_sex",
    "read_tables",
]
