import base64

from b2b_1c_bridge.lib import settings
from b2b_1c_bridge.lib.protocol import parse_basic_auth


def test_defaults_when_nothing_is_set():
    values = settings.read(lambda key: None)
    assert values["zip"] is True
    assert values["deactivate_missing"] is False, "goods a full catalog leaves out stay as they are"
    assert values["file_limit"] == 52428800
    assert values["file_max_size"] == 1073741824
    assert values["session_lifetime"] == 3600


def test_values_are_read_and_clamped():
    given = {"b2b_1c_bridge.zip": "no", "b2b_1c_bridge.file_limit": "2048",
             "b2b_1c_bridge.deactivate_missing": "да",
             "b2b_1c_bridge.session_lifetime": "5", "b2b_1c_bridge.file_max_size": "nonsense",
             "b2b_1c_bridge.unzip_max_size": "99999999999"}
    values = settings.read(given.get)
    assert values["zip"] is False
    assert values["deactivate_missing"] is True
    assert values["file_limit"] == 2048
    assert values["session_lifetime"] == 60
    assert values["file_max_size"] == 1073741824
    assert values["unzip_max_size"] == 2 ** 31 - 1


def _basic(raw):
    return "Basic " + base64.b64encode(raw).decode()


def test_basic_auth_header():
    assert parse_basic_auth(_basic("обмен:пароль:с двоеточием".encode())) == ("обмен", "пароль:с двоеточием")
    assert parse_basic_auth(_basic("обмен:п".encode("cp1251"))) == ("обмен", "п")
    assert parse_basic_auth(None) is None
    assert parse_basic_auth("Bearer abc") is None
    assert parse_basic_auth("Basic !!!") is None
    assert parse_basic_auth(_basic(b"nocolon")) is None
