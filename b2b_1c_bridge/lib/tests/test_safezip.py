import io
import os
import stat
import zipfile

import pytest

from b2b_1c_bridge.lib.protocol import ExchangeRefused
from b2b_1c_bridge.lib.safezip import ZipLimits, unpack


def make_zip(path, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)
    return path


def test_unpacks_nested_entries_byte_exactly(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    src = make_zip(tmp_path / "a.zip", [("import.xml", b"<a/>"), ("import_files/ab/x.jpg", data),
                                         ("empty_dir/", b"")])
    dest = tmp_path / "out"
    done = unpack(str(src), str(dest))
    assert sorted(done) == [("import.xml", 4), ("import_files/ab/x.jpg", len(data))]
    assert (dest / "import_files" / "ab" / "x.jpg").read_bytes() == data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".unpack")] == []


@pytest.mark.parametrize("bad", ["../evil.xml", "a/../../evil.xml", "/etc/evil.xml", "a\\..\\evil.xml"])
def test_traversal_entry_refuses_the_whole_archive(tmp_path, bad):
    src = make_zip(tmp_path / "a.zip", [("import.xml", b"<a/>"), (bad, b"x")])
    with pytest.raises(ExchangeRefused) as exc:
        unpack(str(src), str(tmp_path / "out"))
    assert "a.zip" in str(exc.value)
    assert sorted(os.listdir(tmp_path)) == ["a.zip"]
    assert not (tmp_path.parent / "evil.xml").exists()


def test_symlink_entry_refused(tmp_path):
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    src = make_zip(tmp_path / "a.zip", [(info, "/etc/passwd")])
    with pytest.raises(ExchangeRefused, match="symbolic link"):
        unpack(str(src), str(tmp_path / "out"))


def test_zip_bomb_refused_by_ratio_before_writing(tmp_path):
    src = make_zip(tmp_path / "bomb.zip", [("import.xml", b"\0" * (40 * 1024 * 1024))])
    assert os.path.getsize(src) < 100 * 1024
    with pytest.raises(ExchangeRefused, match="zip bomb"):
        unpack(str(src), str(tmp_path / "out"))
    assert sorted(os.listdir(tmp_path)) == ["bomb.zip"]


def test_total_size_limit(tmp_path):
    src = make_zip(tmp_path / "a.zip", [("a.bin", os.urandom(600)), ("b.bin", os.urandom(600))])
    with pytest.raises(ExchangeRefused, match="more than 1000 bytes"):
        unpack(str(src), str(tmp_path / "out"), ZipLimits(max_total=1000))
    assert not (tmp_path / "out").exists()


def test_entry_count_limit(tmp_path):
    src = make_zip(tmp_path / "a.zip", [("f%d" % i, b"x") for i in range(5)])
    with pytest.raises(ExchangeRefused, match="5 entries"):
        unpack(str(src), str(tmp_path / "out"), ZipLimits(max_entries=4))


def test_header_that_understates_the_size_is_caught_while_unpacking(tmp_path):
    """A bomb whose headers declare a tiny size passes the declared-size checks; the bytes
    actually produced are counted and the archive is refused with nothing kept."""
    payload = b"\0" * (20 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", payload)
    raw = bytearray(buf.getvalue())
    declared = len(payload).to_bytes(4, "little")
    # patch the uncompressed size in the local header and in the central directory to 1000
    count = 0
    pos = raw.find(declared)
    while pos != -1:
        raw[pos:pos + 4] = (1000).to_bytes(4, "little")
        count += 1
        pos = raw.find(declared, pos + 4)
    assert count == 2
    src = tmp_path / "liar.zip"
    src.write_bytes(bytes(raw))
    with pytest.raises(ExchangeRefused):
        unpack(str(src), str(tmp_path / "out"))
    assert sorted(os.listdir(tmp_path)) == ["liar.zip"]


def test_not_a_zip(tmp_path):
    src = tmp_path / "a.zip"
    src.write_bytes(b"PK\x03\x04 this is not an archive")
    with pytest.raises(ExchangeRefused, match="cannot be read"):
        unpack(str(src), str(tmp_path / "out"))
    assert sorted(os.listdir(tmp_path)) == ["a.zip"]


def test_duplicate_entries_refused(tmp_path):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        src = make_zip(tmp_path / "a.zip", [("a.xml", b"1"), ("a.xml", b"2")])
    with pytest.raises(ExchangeRefused, match="twice"):
        unpack(str(src), str(tmp_path / "out"))
