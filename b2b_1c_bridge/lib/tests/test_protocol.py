import pytest

from b2b_1c_bridge.lib import protocol
from b2b_1c_bridge.lib.protocol import ExchangeRefused, check_filename


@pytest.mark.parametrize("name", ["import.xml", "offers0_1.xml", "import_files/ab/ab12.jpg",
                                  "Выгрузка товаров.xml", "a..b.xml"])
def test_safe_names_pass(name):
    assert check_filename(name) == name


@pytest.mark.parametrize("name", ["", None, "../import.xml", "a/../../etc/passwd", "/etc/passwd",
                                  "C:/Windows/win.ini", "c:x", "import_files\\a.jpg", "a\x00.xml",
                                  "a/./b.xml", "a//b.xml", "dir/", "..", "x" * 256, "a\nb"])
def test_unsafe_names_refused(name):
    with pytest.raises(ExchangeRefused):
        check_filename(name)


def test_refusal_message_names_the_file_and_escapes_control_characters():
    with pytest.raises(ExchangeRefused) as exc:
        check_filename("a\x00b.xml")
    assert "a\\x00b.xml" in str(exc.value)
    assert "\x00" not in str(exc.value)


def test_answers_are_lines():
    assert protocol.checkauth_success("tok") == "success\nb2b_1c_exchange\ntok\n"
    assert protocol.init_answer(True, 52428800) == "zip=yes\nfile_limit=52428800\n"
    assert protocol.init_answer(False, 10) == "zip=no\nfile_limit=10\n"
    assert protocol.success() == "success\n"
    assert protocol.progress("2 of 5") == "progress\n2 of 5\n"


def test_failure_flattens_reasons_and_drops_duplicates():
    body = protocol.failure("bad\nfile", "bad file", "", "плохой файл")
    assert body == "failure\nbad file\nплохой файл\n"
    assert protocol.parse_answer(body) == ("failure", ["bad file", "плохой файл"])


def test_parse_answer_accepts_crlf():
    assert protocol.parse_answer("success\r\nname\r\nvalue\r\n") == ("success", ["name", "value"])
    assert protocol.parse_answer("") == ("", [])


def test_is_zip():
    assert protocol.is_zip(b"PK\x03\x04rest")
    assert not protocol.is_zip(b"<?xml")


def test_refusal_renders_through_a_translation():
    exc = ExchangeRefused("File %(file)s is bad.", file="a.xml")
    assert exc.render() == "File a.xml is bad."
    assert exc.render({"File %(file)s is bad.": "Файл %(file)s плохой."}.get) == "Файл a.xml плохой."
