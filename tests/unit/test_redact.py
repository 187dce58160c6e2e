"""Secrets never reach the journal or the logs in clear; the last two characters tell them apart."""

from __future__ import annotations

import logging

from emulator.core.observe.redact import (
    RedactingFilter,
    is_secret_name,
    redact_authorization,
    redact_mapping,
    redact_query,
    redact_url,
    redact_value,
)


def test_secret_names_cover_passwords_tokens_api_keys_and_credentials():
    for name in ("password", "newPassword", "access_password", "token", "X-APIKEY", "apiKey", "Authorization"):
        assert is_secret_name(name), name
    for name in ("phones", "message", "callbackUrl", "number", "auth_mode", None, 3):
        assert not is_secret_name(name), name


def test_values_keep_only_their_last_two_characters():
    assert redact_value("Aa123456") == "***56"
    assert redact_value(12345678) == "***78"
    assert redact_value("1234") == "***"
    assert redact_value(True) is True
    assert redact_value(None) is None


def test_authorization_keeps_its_scheme():
    assert redact_authorization("Basic dGVzdDpBYTEyMzQ1Ng") == "Basic ***Ng"
    assert redact_authorization("Bearer s3cret-token") == "Bearer ***en"


def test_mappings_are_copied_with_nested_secrets_redacted():
    params = {"username": "test", "password": "Aa123456", "webhook": {"password": "hookpass9"}, "n": [1, 2]}
    redacted = redact_mapping(params)
    assert redacted == {"username": "test", "password": "***56", "webhook": {"password": "***s9"}, "n": [1, 2]}
    assert params["password"] == "Aa123456"
    assert redact_mapping({"X-APIKEY": "abcdef", "Authorization": "Basic dGVzdDpBYTEyMzQ1Ng"}) == {
        "X-APIKEY": "***ef",
        "Authorization": "Basic ***Ng",
    }


def test_query_strings_and_urls_are_redacted():
    assert redact_query("token=0773137770:1234&phones=0501234567") == "token=***34&phones=0501234567"
    assert redact_url("/ym/api/GetSession?token=0773137770%3A1234") == "/ym/api/GetSession?token=***34"
    assert redact_url("http://user:pw@example.test/hook?x=1") == "http://user:***@example.test/hook?x=1"
    assert redact_url("/ym/api/GetSession") == "/ym/api/GetSession"


def test_logging_filter_redacts_access_log_arguments():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/ym/api/GetSession?token=0773137770:1234", "1.1", 200),
        None,
    )
    assert RedactingFilter().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /ym/api/GetSession?token=***34 HTTP/1.1" 200'
