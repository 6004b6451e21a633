{
    "name": "B2B Portal: Bitrix24 Bridge",
    "summary": "Portal orders as Bitrix24 deals and back, dealers' managers from the CRM, the "
               "manager chat over open lines, merchandising requests as leads or deals",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["b2b_base", "queue_job", "base_setup", "mail"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_bitrix_security.xml",
        "views/b2b_bitrix_event_views.xml",
        "views/res_config_settings_views.xml",
        "views/b2b_bitrix_sync_views.xml",
        "views/mail_channel_views.xml",
        "views/mail_message_views.xml",
        "views/b2b_merch_request_views.xml",
        "data/b2b_bitrix_cron.xml",
        "data/b2b_bitrix_chat_cron.xml",
    ],
    "demo": [
        "demo/b2b_merch_demo.xml",
    ],
    "installable": True,
}
