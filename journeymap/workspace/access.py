"""Who may do what in a workspace: the access file, roles, and the checks the operations make.

When the app is served with sign-in, every person is known by the email address their identity
provider vouches for, and `access.toml` at the top of the workspace gives each address (or each
domain) a role:

    owners = ["sato@example.co.jp"]
    editors = ["@example.co.jp"]                  # everyone at this domain
    viewers = ["@partner.example.com", "guest@example.org"]

- **viewer**: the library, present, export;
- **editor**: plus design, journey, plan, compare, import and save;
- **owner**: plus delete, restore from the trash, purge, and seeing where the workspace lives.

An address's own entry wins over its domain's; listed twice at the same level, the higher role
wins. An address that matches nothing has no access. Without sign-in (the app on this machine
only) the one local user is the owner.
"""

from __future__ import annotations

import getpass
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.errors import InputError, Issue
from journeymap.text.problems import Verbatim, phrase, problem, refuse

ACCESS_FILE = "access.toml"
ROLES = ("viewer", "editor", "owner")
"""In rising order: each role may do everything the one before it may."""

_LISTS = {"viewers": "viewer", "editors": "editor", "owners": "owner"}

ACTIONS: dict[str, str] = {
    "read": "viewer",      # list, open, present, export
    "edit": "editor",      # change a design in the session
    "save": "editor",      # save, create, duplicate, import, restore a version
    "delete": "owner",     # move a design to the trash
    "trash": "owner",      # see the trash, restore from it, purge
    "admin": "owner",      # see server paths
}
"""The least role that may do each action."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^@[^@\s]+\.[^@\s]+$")

EXAMPLE = """\
# Who may use this workspace once sign-in is on (see README, "Serving a team").
owners = ["you@example.co.jp"]
editors = ["@example.co.jp"]
viewers = []
"""


class Forbidden(InputError):
    """The person's role does not allow the operation."""


@dataclass(frozen=True)
class User:
    """Who is doing something: an email address (None for the local user without sign-in) and a role."""

    email: str | None
    role: str
    name: str | None = None
    """What to call a user without an email address in the history (the OS user of a local app)."""

    def may(self, action: str) -> bool:
        return rank(self.role) >= rank(ACTIONS[action])

    def require(self, action: str, design_id: str) -> None:
        """Raise `Forbidden` unless this user may do `action` to the design (or trash entry) `design_id`."""
        if self.may(action):
            return
        raise Forbidden(problem("access.refused", who=self.email or phrase("access.you"), role=phrase(f"access.{self.role}"),
                                id=design_id, what=phrase(f"access.what.{action}"),
                                needed=phrase(f"access.{ACTIONS[action]}")))

    @property
    def label(self) -> str:
        """How revisions name their author: the email address, else the name, else 'local'."""
        return self.email or self.name or "local"


def os_user() -> str | None:
    """The name of the user running this process, when the system knows one."""
    try:
        return getpass.getuser() or None
    except (OSError, KeyError, ImportError):
        return None


LOCAL_OWNER = User(None, "owner", os_user())
"""The one user of an app that is served to this machine only, without sign-in (and of the CLI):
the history names them by their OS user name."""


def rank(role: str) -> int:
    return ROLES.index(role)


@dataclass(frozen=True)
class AccessList:
    """Roles by exact address and by domain (`@example.co.jp`), all in lower case."""

    addresses: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)

    def role_of(self, email: str | None) -> str | None:
        """The role of an address, or None when it may not use the workspace."""
        if not email or not _EMAIL.match(email.strip()):
            return None
        email = email.strip().casefold()
        if email in self.addresses:
            return self.addresses[email]
        return self.domains.get("@" + email.rsplit("@", 1)[1])

    def user(self, email: str | None) -> User | None:
        role = self.role_of(email)
        return User(email.strip().casefold(), role) if role and email else None

    def __len__(self) -> int:
        return len(self.addresses) + len(self.domains)


def access_path(root: str | Path) -> Path:
    return Path(root) / ACCESS_FILE


def read_access(path: str | Path) -> AccessList:
    """The access file; InputError naming the file and line for anything it cannot use."""
    source = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise refuse("problem.access_missing", source=source, example=Verbatim(EXAMPLE, EXAMPLE)) from None
    except UnicodeDecodeError as exc:
        raise refuse("problem.access_not_utf8", source=source) from exc
    except OSError as exc:
        raise refuse("problem.cannot_read", source=source, detail=Verbatim(str(exc.strerror or exc))) from None
    return parse_access(text, source)


def parse_access(text: str, source: str = ACCESS_FILE) -> AccessList:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        line = int(found[1]) if found else (len(text.splitlines()) or 1 if "end of document" in str(exc) else None)
        raise refuse("problem.access_toml", source=source, line=line, detail=Verbatim(message)) from None
    lines = {name: _line_of(text, name) for name in data}
    issues: list[Issue] = []
    addresses: dict[str, str] = {}
    domains: dict[str, str] = {}
    for key, value in data.items():
        role = _LISTS.get(key)
        if role is None:
            issues.append(problem("problem.access_unknown_entry", source=source, line=lines[key], entry=key))
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            issues.append(problem("problem.access_not_a_list", source=source, line=lines[key], entry=key))
            continue
        for raw in value:
            entry = raw.strip().casefold()
            if _DOMAIN.match(entry):
                table = domains
            elif _EMAIL.match(entry):
                table = addresses
            else:
                issues.append(problem("problem.access_bad_entry", source=source, line=lines[key], value=raw, entry=key))
                continue
            if entry not in table or rank(role) > rank(table[entry]):
                table[entry] = role
    if issues:
        raise InputError(issues)
    return AccessList(addresses, domains)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None
