"""A secret for a developer's machine, kept in a file under var/ so that every
copy of a service started there (by `make run`, or by tests running side by
side) uses the same one. Production configures its secrets instead."""

import os
import secrets
from pathlib import Path


def development_secret(path: Path) -> str:
    """The secret in `path`, made first if there is none. The file appears
    whole or not at all: it is written under a name of this process's own and
    then linked into place, so when two processes start at once one of them
    makes it and both read the same."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
