"""The exchange's configurable limits, read from text values (Odoo system parameters)."""

MAX_INT = 2 ** 31 - 1  # sizes are stored in integer fields

DEFAULTS = {
    "zip": True,
    # archive the goods a full catalog leaves out when 1C says so (mode=deactivate)
    "deactivate_missing": False,
    # refuse a whole exchange file for any record the readers cannot use (else: skip and warn)
    "strict": False,
    "file_limit": 50 * 1024 * 1024,
    "file_max_size": 1024 ** 3,
    "session_lifetime": 3600,
    "unzip_max_size": MAX_INT,
    "unzip_max_ratio": 100,
    "unzip_max_entries": 100000,
}
BOUNDS = {
    "file_limit": (1024, MAX_INT),
    "file_max_size": (1, MAX_INT),
    "session_lifetime": (60, 7 * 24 * 3600),
    "unzip_max_size": (1, MAX_INT),
    "unzip_max_ratio": (2, 100000),
    "unzip_max_entries": (1, 10 ** 7),
}
PREFIX = "b2b_1c_bridge."


def parse_bool(text, default):
    value = (text or "").strip().lower()
    if value in ("1", "yes", "true", "on", "да"):
        return True
    if value in ("0", "no", "false", "off", "нет"):
        return False
    return default


def parse_int(text, default, low, high):
    try:
        value = int(str(text).strip().replace("_", ""))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def read(get):
    """The settings as a dict; ``get(key)`` returns the text of ``b2b_1c_bridge.<key>`` or None.

    Missing or unreadable values fall back to the defaults; numbers are clamped to their bounds.
    """
    result = {key: parse_bool(get(PREFIX + key), DEFAULTS[key])
              for key in ("zip", "deactivate_missing", "strict")}
    for key, (low, high) in BOUNDS.items():
        result[key] = parse_int(get(PREFIX + key), DEFAULTS[key], low, high)
    return result
