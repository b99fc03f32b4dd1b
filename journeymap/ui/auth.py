"""Sign-in and roles in the app: who uses this session, and which pages and buttons they get.

Three modes (`JOURNEYMAP_AUTH`, set by `journeymap app`; without it, sign-in is on exactly when
the secrets have an `[auth]` section):

- `local`: served to this machine only, no sign-in; the one user is the owner;
- `signin`: Streamlit's `st.login` (OIDC); the workspace's `access.toml` gives the role;
- `off`: served without sign-in on purpose (`--no-auth`); everyone is the owner.

The role is checked again by the workspace for every operation that writes; hiding a page or a
button here is for people, not the protection.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from journeymap.errors import InputError
from journeymap.workspace.access import LOCAL_OWNER, AccessList, User, access_path, read_access
from journeymap.workspace.facade import default_root

AUTH_ENV = "JOURNEYMAP_AUTH"
USER = "jm_user"

# The pages each role sees (file names in ui/views); a role sees the pages of the roles below it too.
VIEWER_PAGES = ("library.py", "present.py", "transfer.py")


def _auth_secrets() -> dict:
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, OSError, ValueError, KeyError):  # no secrets file (Streamlit's error is a FileNotFoundError)
        return {}
    if section is None:
        return {}
    return section.to_dict() if hasattr(section, "to_dict") else dict(section)


def mode() -> str:
    value = os.environ.get(AUTH_ENV)
    if value in ("local", "signin", "off"):
        return value
    return "signin" if _auth_secrets() else "local"


def _provider() -> str | None:
    """The provider to sign in with: None for `[auth]` itself, else its first provider section."""
    auth = _auth_secrets()
    if auth.get("client_id"):
        return None
    return next((name for name, value in auth.items() if isinstance(value, dict) and value.get("client_id")), None)


@st.cache_resource(show_spinner=False)
def _access(path: str, stamp: tuple) -> AccessList:
    return read_access(path)


def access_list(root: Path) -> AccessList:
    """The workspace's access file, read again when it changes."""
    path = access_path(root)
    try:
        stat = path.stat()
        stamp: tuple = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = ()
    return _access(str(path), stamp)


def _place(issue) -> str:
    """Where in the access file, without the server's folders (the sign-in page is seen by anyone)."""
    name = Path(issue.source).name if issue.source else ""
    return f"{name}:{issue.line}: " if name and issue.line else f"{name}: " if name else ""


def gate() -> User | None:
    """The user of this session, or None after drawing the sign-in (or no-access) page instead."""
    from journeymap.ui.messages import localized
    from journeymap.ui.strings import md, t

    current = mode()
    if current != "signin":
        st.session_state[USER] = LOCAL_OWNER
        return LOCAL_OWNER
    if not st.user.is_logged_in:
        st.session_state.pop(USER, None)
        st.title("journeymap")
        st.markdown(t("auth.please_sign_in"))
        if st.button(t("auth.sign_in"), type="primary", icon=":material/login:", key="sign_in"):
            st.login(_provider())
        return None
    email = st.user.get("email")
    verified = st.user.get("email_verified")
    try:
        access = access_list(default_root())
    except InputError as exc:
        st.error(t("auth.access_file_broken") + "\n\n" + "\n".join(f"- {md(_place(i))}{md(localized(i))}" for i in exc.issues),
                 icon=":material/error:")
        _sign_out_button()
        return None
    user = access.user(email) if isinstance(email, str) and verified is not False else None
    if user is None:
        st.session_state.pop(USER, None)
        st.title("journeymap")
        st.warning(t("auth.no_access", email=md(email or "?")), icon=":material/block:")
        _sign_out_button()
        return None
    st.session_state[USER] = user
    return user


def user() -> User:
    """This session's user (set by `gate` at the start of every run)."""
    found = st.session_state.get(USER)
    return found if isinstance(found, User) else LOCAL_OWNER


def may(action: str) -> bool:
    return user().may(action)


def pages_for(role_user: User, pages: tuple) -> list:
    """The navigation entries this user may open."""
    if role_user.may("edit"):
        return list(pages)
    return [p for p in pages if p[0] in VIEWER_PAGES]


def closed_page(title_key: str):
    """The page drawn at the address of a page this user's role does not open: a message in the
    app's language (not Streamlit's own "Page not found", which is in English)."""
    from journeymap.ui.strings import t

    def closed() -> None:
        st.warning(t("auth.page_needs_role", page=t(title_key), needed=t("access.editor"),
                     role=t(f"access.{user().role}")), icon=":material/lock:")

    closed.__name__ = f"closed_{title_key.replace('.', '_')}"
    return closed


def _sign_out_button() -> None:
    from journeymap.ui.strings import t

    if st.button(t("auth.sign_out"), icon=":material/logout:", key="sign_out"):
        st.logout()


def sidebar_box() -> None:
    """Who is signed in, with which role, and the sign-out button (sign-in mode only)."""
    from journeymap.ui.strings import md, t

    if mode() != "signin":
        return
    who = user()
    with st.sidebar:
        st.caption(t("auth.signed_in_as", email=md(who.email or "?"), role=t(f"access.{who.role}")))
        _sign_out_button()


def redact(text: str) -> str:
    """Text without the server's workspace path, for people who are not owners."""
    if may("admin"):
        return text
    root = str(default_root())
    return text.replace(root + os.sep, "").replace(root, Path(root).name)
