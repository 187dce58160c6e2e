"""Yemot tokens: session tokens from Login, API keys (``WU1BUElL.apik_...``) and ``number:password``."""

from __future__ import annotations

from emulator.yemot import api_keys
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import InvalidToken, LoginFailed, SessionExpired
from emulator.yemot.state import LoginLogRow, YemotSystem

SESSION_IDLE_S = 30 * 60


def check_password(call: YemotCall, username: str, password: str, *, log_success: bool) -> YemotSystem:
    """The system these credentials open; failures (and, if asked, successes) go to the login log."""
    system = call.emulator.world.yemot.systems.get(username)  # (``call.state``, without the property's call)
    ok = system is not None and system.password == password
    if system is not None and (log_success or not ok):
        system.login_log.append(LoginLogRow(time=call.now, username=username, remote_ip=call.client_ip, success=ok))
    if not ok:
        raise LoginFailed()
    assert system is not None
    return system


def authenticate(call: YemotCall) -> None:
    """Attach the caller's system (and session, for session tokens) to ``call``."""
    token = call.token
    if not token:
        raise InvalidToken()
    if api_keys.looks_like_key(token):  # no session, like number:password; revoked = unknown = invalid
        found_key = api_keys.find(call.state, token)
        if found_key is None:
            raise InvalidToken()
        call.system, call.api_key = found_key
        call.api_key.last_used = call.now
        return
    if ":" in token:
        username, _, password = token.partition(":")
        call.system = check_password(call, username, password, log_success=False)
        return
    found = call.state.find_session(token)
    if found is None or not found[1].active:
        raise InvalidToken()
    system, session = found
    if call.now - session.last_request > SESSION_IDLE_S:
        session.active = False
        raise SessionExpired()
    session.last_request = call.now
    call.system, call.session = system, session
