"""The one table of public client methods the client sweep expects to FAIL against the emulator.

``tests/clients/test_client_sweep.py`` calls every public method of ``yemot.Client``, ``System``,
``Campaign`` and of ``yemot_api`` ``Yemot`` / ``AsyncYemot``. A method listed here must fail; a listed
method that starts to succeed fails the sweep, so the entry is removed when its feature lands.
Keys are ``<Class>.<method>``; values say why. Every template and campaign method is exercised with
real ids in ``test_yemot_api_campaigns.py`` and ``test_yemot_campaign.py``.
"""

from __future__ import annotations

CLIENT_ITSELF = "the client itself"  # cannot succeed whatever the server answers
PLACEHOLDER = "sweep arguments"  # a placeholder id that the emulator rightly refuses

_CAMPAIGNS = [  # no template, campaign or schedule has the sweep's placeholder id
    "update_template",
    "delete_template",
    "get_template_entries",
    "update_template_entry",
    "update_template_entries",
    "clear_template_entries",
    "upload_phone_list",
    "run_campaign",
    "get_campaign_status",
    "download_campaign_report",
    "campaign_action",
    "schedule_campaign",
    "delete_scheduled_campaign",
]

EXPECTED_FAILURES: dict[str, str] = {
    # yemot_api (the same table for Yemot and AsyncYemot)
    **{f"{cls}.{name}": f"{PLACEHOLDER}: id" for cls in ("Yemot", "AsyncYemot") for name in _CAMPAIGNS},
    "Yemot.sip_extension_management": f"{CLIENT_ITSELF}: raises NotImplementedError before sending",
    "AsyncYemot.sip_extension_management": f"{CLIENT_ITSELF}: raises NotImplementedError before sending",
    "Yemot.view_campaign_reports": f"{CLIENT_ITSELF}: raises NotImplementedError after a successful request",
    "AsyncYemot.view_campaign_reports": f"{CLIENT_ITSELF}: raises NotImplementedError after a successful request",
    # yemot
    "System.upload_file_big": f"{CLIENT_ITSELF}: a stub that answers 'Not implemented' without a request",
    "Campaign.update_template": f"{PLACEHOLDER}: id",
    "Campaign.delete_template": f"{PLACEHOLDER}: id",
    "Campaign.get_template_entries": f"{PLACEHOLDER}: id",
    "Campaign.update_template_entry": f"{PLACEHOLDER}: id",
}
