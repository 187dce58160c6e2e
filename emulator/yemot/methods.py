"""The table of Yemot methods the emulator implements: method name -> service function.

Which methods exist, their parameters and whether they need a token come from
``contracts/yemot.yaml``; this table only says which service answers each one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.yemot.campaigns import actions as campaign_actions
from emulator.yemot.campaigns import schedule as campaign_schedule
from emulator.yemot.campaigns import service as campaigns
from emulator.yemot.context import YemotCall
from emulator.yemot.services import (
    account,
    account_settings,
    caller_ids,
    calls,
    dids,
    file_actions,
    files,
    inbound,
    listing,
    live,
    mfa,
    music_on_hold,
    phone_upload,
    queue_actions,
    queues,
    reports,
    security,
    sip,
    sms,
    tasks,
    templates,
    texts,
    tzintuk,
    uploads,
)

# A service answers at once, or (UploadFile, which may convert audio in a worker thread) is awaited.
Service = Callable[[YemotCall], dict[str, Any] | Awaitable[dict[str, Any]]]

METHODS: dict[str, Service] = {
    "Login": account.login,
    "Logout": account.logout,
    "GetSession": account.get_session,
    "GetCustomerData": account.get_customer_data,
    "GetTransactions": account.get_transactions,
    "TransferUnits": account.transfer_units,
    "GetIncomingSum": account.get_incoming_sum,
    # security
    "ValidationToken": security.validation_token,
    "DoubleAuth": security.double_auth,
    "GetLoginLog": security.get_login_log,
    "GetAllSessions": security.get_all_sessions,
    "KillSession": security.kill_session,
    "KillAllSessions": security.kill_all_sessions,
    # account settings and caller IDs
    "SetPassword": account_settings.set_password,
    "SetCustomerDetails": account_settings.set_customer_details,
    "PirsumPhoneManagement": account_settings.pirsum_phone_management,
    "GetApprovedCallerIDs": account_settings.get_approved_caller_ids,
    "IsCallerIDApproved": account_settings.is_caller_id_approved,
    # live calls and queues
    "GetIncomingCalls": live.get_incoming_calls,
    "GetCallsStatus": live.get_calls_status,
    "CallAction": live.call_action,
    "CallManager": live.call_manager,
    "CallExtensionBridging": live.call_extension_bridging,
    "QueueManagement": queue_actions.queue_management,
    "QueueCallBack": queue_actions.queue_call_back,
    # inbound SMS and SIP registrations
    "GetIncomingSms": inbound.get_incoming_sms,
    "SipGetContexts": inbound.sip_get_contexts,
    "GetSipAccountsRegisteredStatus": inbound.get_sip_accounts_registered_status,
    # MFA
    "MFASession": mfa.mfa_session,
    # SMS, tzintuk, caller IDs
    "SendSms": sms.send_sms,
    "GetSmsOutLog": sms.get_sms_out_log,
    "GetCustomerSmsTransactions": sms.get_customer_sms_transactions,
    "RunTzintuk": tzintuk.run_tzintuk,
    "TzintukimListManagement": tzintuk.tzintukim_list_management,
    "ValidationCallerId": caller_ids.validation_caller_id,
    # tasks
    "CreateTask": tasks.create_task,
    "UpdateTask": tasks.update_task,
    "DeleteTask": tasks.delete_task,
    "GetTasks": tasks.get_tasks,
    "GetTasksData": tasks.get_tasks_data,
    "GetTasksLogs": tasks.get_tasks_logs,
    # SIP
    "CreateSipAccount": sip.create_sip_account,
    "GetSipAccountsInCustomer": sip.get_sip_accounts_in_customer,
    "SipToWss": sip.sip_to_wss,
    "SipToUdp": sip.sip_to_udp,
    "EditCallerIdInSipAccount": sip.edit_caller_id_in_sip_account,
    "DeleteSipAccount": sip.delete_sip_account,
    "SipExtensionManagement": sip.sip_extension_management,
    # files, queues, secondary numbers
    "CheckIfFileExists": files.check_if_file_exists,
    "RenderYMGRFile": files.render_ymgr_file,  # type: ignore[dict-item]  # csv/html answer bytes
    # IVR file tree
    "UploadFile": uploads.upload_file,
    "DownloadFile": file_actions.download_file,  # type: ignore[dict-item]  # answers bytes
    "GetIVR2Dir": listing.get_ivr2_dir,
    "GetIVR2DirStats": listing.get_ivr2_dir_stats,
    "GetFile": listing.get_file,
    "FileAction": file_actions.file_action,
    "GetTextFile": texts.get_text_file,
    "UploadTextFile": texts.upload_text_file,
    "UpdateExtension": texts.update_extension,
    "CheckIfFolderExists": listing.check_if_folder_exists,
    "GetIvrTree": listing.get_ivr_tree,
    "CreateMusicOnHolds": music_on_hold.create_music_on_holds,
    "DeleteMusicOnHolds": music_on_hold.delete_music_on_holds,
    "GetMusicOnHoldByPath": music_on_hold.get_music_on_hold_by_path,
    "GetQueueRealTime": queues.get_queue_real_time,
    "SetSecondaryDidUsageDescription": dids.set_secondary_did_usage_description,
    # call campaigns and their reports
    "SendTTS": calls.send_tts,
    "SendFax": calls.send_fax,
    "CreateBridgeCall": calls.create_bridge_call,
    "ViewCampaignReports": reports.view_campaign_reports,
    # templates and campaigns
    "GetTemplates": templates.get_templates,
    "CreateTemplate": templates.create_template,
    "DeleteTemplate": templates.delete_template,
    "UpdateTemplate": templates.update_template,
    "GetTemplateEntries": templates.get_template_entries,
    "UpdateTemplateEntry": templates.update_template_entry,
    "UpdateTemplateEntries": templates.update_template_entries,
    "ClearTemplateEntries": templates.clear_template_entries,
    "UploadPhoneList": phone_upload.upload_phone_list,
    "RunCampaign": campaigns.run_campaign,
    "GetCampaignStatus": campaigns.get_campaign_status,
    "GetActiveCampaigns": campaigns.get_active_campaigns,
    "DownloadCampaignReport": campaigns.download_campaign_report,  # type: ignore[dict-item]  # CSV bytes
    "CampaignAction": campaign_actions.campaign_action,
    "ScheduleCampaign": campaign_schedule.schedule_campaign,
    "GetScheduledCampaigns": campaign_schedule.get_scheduled_campaigns,
    "DeleteScheduledCampaign": campaign_schedule.delete_scheduled_campaign,
}
