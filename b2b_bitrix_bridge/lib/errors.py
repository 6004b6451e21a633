"""Errors raised by the Bitrix24 REST client.

Every error carries an English and a Russian message (``message_en``, ``message_ru``); ``str()`` of
the error gives both, so a job log or a user notification is readable by either audience.
"""


class BitrixError(Exception):
    """Base of all Bitrix24 client errors."""

    #: whether repeating the same call later may succeed
    retryable = False

    def __init__(self, message_en, message_ru, method=None, code=None, description=None,
                 http_status=None):
        self.message_en = message_en
        self.message_ru = message_ru
        self.method = method
        self.code = code
        self.description = description
        self.http_status = http_status
        super().__init__("%s / %s" % (message_en, message_ru))


class BitrixRetryableError(BitrixError):
    """Bitrix24 is busy or unreachable: the call may be repeated after ``retry_after`` seconds."""

    retryable = True

    def __init__(self, message_en, message_ru, retry_after, **kw):
        self.retry_after = retry_after
        super().__init__(message_en, message_ru, **kw)


class BitrixAuthError(BitrixError):
    """Bitrix24 refused the credentials: the webhook URL (user id or secret) is wrong, revoked or
    expired, the method needs the application context (``WRONG_AUTH_TYPE``), or the local
    application's tokens or client id/secret were refused by the OAuth server (``code`` is then
    ``invalid_grant``: reinstall the application, or ``invalid_client``). Retrying does not help."""


class BitrixTokenExpiredError(BitrixAuthError):
    """The application's access token has expired (HTTP 401 ``expired_token``): the one error after
    which the application client refreshes the token pair and repeats the call once."""


class BitrixApiError(BitrixError):
    """Bitrix24 answered a method with an error (``error`` and ``error_description``)."""


class BitrixProtocolError(BitrixError):
    """The answer is not what Bitrix24 sends (not JSON, no ``result``)."""
