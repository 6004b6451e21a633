"""PHP-style query strings, the way Bitrix24 reads them.

Bitrix24's ``batch`` method takes every command as ``"method?" + http_build_query(params)``, and its
outbound events arrive as form posts with the same bracketed keys (``data[FIELDS][ID]=123``).
"""
from urllib.parse import quote_plus


def _scalar(value):
    if value is True:
        return "1"
    if value is False:
        return "0"
    return str(value)


def _pairs(prefix, value):
    if value is None:
        return  # PHP drops nulls
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        yield prefix, _scalar(value)
        return
    for key, sub in items:
        yield from _pairs("%s[%s]" % (prefix, key), sub)


def flatten(params):
    """``[(key, value)]`` of nested ``params`` with PHP's bracketed keys, in order.

    Lists become ``[0]``, ``[1]``...; ``True``/``False`` become ``1``/``0``; ``None`` and empty
    lists or dicts are left out, as PHP's ``http_build_query`` does.
    """
    out = []
    for key, value in (params or {}).items():
        out.extend(_pairs(str(key), value))
    return out


def http_build_query(params):
    """PHP's ``http_build_query(params)``: nested dicts and lists as ``a[b][0]=v``, URL-encoded."""
    return "&".join("%s=%s" % (quote_plus(k), quote_plus(v)) for k, v in flatten(params))
