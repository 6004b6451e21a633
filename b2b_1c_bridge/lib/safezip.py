"""Unpacking an archive received from 1C without trusting it.

Before anything is written every entry is checked: its name (no path traversal, see
``protocol.check_filename``), its kind (no symbolic links, no encrypted entries), the number of
entries, the declared uncompressed sizes (total and compression ratio). While unpacking, the bytes
actually produced are counted again, so an archive whose headers lie is caught too. Entries are
written into a temporary folder that becomes the destination only when all of them were unpacked;
a refused archive leaves nothing behind.
"""
import os
import shutil
import stat
import tempfile
import zipfile
import zlib

from odoo.addons.b2b_base.lib.messages import _

from .protocol import ExchangeRefused, check_filename

BLOCK = 1024 * 1024


class ZipLimits:
    """Bounds of an archive: total uncompressed bytes, compression ratio, number of entries.

    The ratio is checked for entries larger than ``ratio_floor`` bytes and for the archive as a
    whole (when it unpacks to more than ``ratio_floor`` bytes): small files of repeated text
    compress very well and are harmless.
    """

    def __init__(self, max_total=1024 ** 3, max_ratio=100, max_entries=100000, ratio_floor=BLOCK):
        self.max_total = int(max_total)
        self.max_ratio = float(max_ratio)
        self.max_entries = int(max_entries)
        self.ratio_floor = int(ratio_floor)


def _entry_is_symlink(info):
    return stat.S_ISLNK(info.external_attr >> 16)


def check_entries(archive, label, limits):
    """The file entries of an open ZipFile, checked; raises ExchangeRefused."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise ExchangeRefused(_("Archive %(file)s has %(count)d entries, more than the limit of "
                                "%(limit)d."), file=label, count=len(infos), limit=limits.max_entries)
    seen = set()
    files = []
    total = 0
    compressed = 0
    for info in infos:
        name = info.filename
        is_dir = name.endswith("/")
        try:
            check_filename(name[:-1] if is_dir else name)
        except ExchangeRefused as exc:
            raise ExchangeRefused(_("Archive %(file)s: entry refused: %(reason)s"), file=label,
                                  reason=exc.render()) from None
        if _entry_is_symlink(info):
            raise ExchangeRefused(_("Archive %(file)s: entry %(entry)s is a symbolic link."),
                                  file=label, entry=name)
        if info.flag_bits & 0x1:
            raise ExchangeRefused(_("Archive %(file)s: entry %(entry)s is encrypted."),
                                  file=label, entry=name)
        if name in seen:
            raise ExchangeRefused(_("Archive %(file)s: entry %(entry)s appears twice."),
                                  file=label, entry=name)
        seen.add(name)
        if is_dir:
            continue
        total += info.file_size
        compressed += info.compress_size
        if total > limits.max_total:
            raise ExchangeRefused(_("Archive %(file)s unpacks to more than %(limit)d bytes."),
                                  file=label, limit=limits.max_total)
        if info.file_size > limits.ratio_floor and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ExchangeRefused(_("Archive %(file)s: entry %(entry)s is compressed more than "
                                    "%(ratio)d times; refused as a zip bomb."),
                                  file=label, entry=name, ratio=limits.max_ratio)
        files.append(info)
    if total > limits.ratio_floor and total > limits.max_ratio * max(compressed, 1):
        raise ExchangeRefused(_("Archive %(file)s is compressed more than %(ratio)d times; refused "
                                "as a zip bomb."), file=label, ratio=limits.max_ratio)
    return files


def unpack(zip_path, dest_dir, limits=None, label=None):
    """Unpack ``zip_path`` into the new folder ``dest_dir``; return [(entry name, size)].

    ``dest_dir`` must not exist yet. Raises ExchangeRefused, leaving no ``dest_dir``.
    """
    limits = limits or ZipLimits()
    label = label or os.path.basename(zip_path)
    if os.path.exists(dest_dir):
        raise FileExistsError(dest_dir)
    parent = os.path.dirname(os.path.abspath(dest_dir))
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".unpack-", dir=parent)
    try:
        try:
            archive = zipfile.ZipFile(zip_path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
            raise ExchangeRefused(_("Archive %(file)s cannot be read: %(error)s"), file=label,
                                  error=str(exc)) from None
        with archive:
            entries = check_entries(archive, label, limits)
            produced = 0
            done = []
            for info in entries:
                target = os.path.join(work, *info.filename.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                written = 0
                try:
                    with archive.open(info) as src, open(target, "xb") as out:
                        while True:
                            block = src.read(BLOCK)
                            if not block:
                                break
                            written += len(block)
                            produced += len(block)
                            if written > info.file_size or produced > limits.max_total:
                                raise ExchangeRefused(
                                    _("Archive %(file)s: entry %(entry)s unpacks to more bytes than "
                                      "its header declares; refused."), file=label, entry=info.filename)
                            out.write(block)
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
                        RuntimeError) as exc:
                    raise ExchangeRefused(_("Archive %(file)s: entry %(entry)s cannot be unpacked: "
                                            "%(error)s"), file=label, entry=info.filename,
                                          error=str(exc)) from None
                except (FileExistsError, IsADirectoryError, NotADirectoryError):
                    raise ExchangeRefused(_("Archive %(file)s: entry %(entry)s clashes with another "
                                            "entry."), file=label, entry=info.filename) from None
                done.append((info.filename, written))
        os.rename(work, dest_dir)
        return done
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
