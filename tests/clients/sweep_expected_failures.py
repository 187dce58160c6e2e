"""The one table of public client methods the client sweep expects to FAIL against the emulator.

``tests/clients/test_client_sweep.py`` calls every public method of ``yemot.Client``, ``System``,
``Campaign`` and of ``yemot_api`` ``Yemot`` / ``AsyncYemot``. A method listed here must fail; a listed
method that starts to succeed fails the sweep, so the entry is removed when its feature lands.
Keys are ``<Class>.<method>``; values say why. Template and campaign methods get real templates,
campaigns and schedules made for them by the sweep (``Context.template`` and the like).
"""

from __future__ import annotations

CLIENT_ITSELF = "the client itself"  # cannot succeed whatever the server answers

EXPECTED_FAILURES: dict[str, str] = {
    # yemot_api (the same table for Yemot and AsyncYemot)
    "Yemot.sip_extension_management": f"{CLIENT_ITSELF}: raises NotImplementedError before sending",
    "AsyncYemot.sip_extension_management": f"{CLIENT_ITSELF}: raises NotImplementedError before sending",
    "Yemot.view_campaign_reports": f"{CLIENT_ITSELF}: raises NotImplementedError after a successful request",
    "AsyncYemot.view_campaign_reports": f"{CLIENT_ITSELF}: raises NotImplementedError after a successful request",
    # yemot
    "System.upload_file_big": f"{CLIENT_ITSELF}: a stub that answers 'Not implemented' without a request",
}
