"""Pictures dealers upload (photos of a defect, of an outlet): the rules, without Odoo.

- ``photo_type``: what a file is by its first bytes (images only: a name or a browser's claim
  proves nothing; an SVG, which can carry a script, is not taken).
- ``check_photos``: the files of a form checked by their first bytes and size, and their count;
  each problem is a ``Problem`` of lib/messages.py.
- ``strip_metadata``: the picture re-encoded by Pillow without what a camera or a phone writes
  into it (EXIF with the place it was taken, GPS, comments, text chunks, colour profiles), turned
  upright first as its EXIF orientation says. What Pillow cannot open (a damaged file, a
  decompression bomb: a small file that unpacks into a huge picture) is refused.
- ``clean_photos``: both for the files of a form: the clean pictures, or the problems.
"""
import io
import warnings

from .messages import Problem, ProblemError, _

MAX_PHOTOS = 10
MAX_PHOTO_SIZE = 10 * 1024 * 1024
# the most pixels a photo may have once unpacked (a 50 megapixel camera's photo is taken)
MAX_PIXELS = 60 * 1000 * 1000

NOT_IMAGE = _('"%(name)s" is not a picture: attach photos (JPEG, PNG, GIF or WebP).')
TOO_BIG = _('"%(name)s" is %(size)s MB: a photo may be at most %(max)s MB.')
TOO_MANY = _("at most %(max)s photos (now %(count)s).")
BROKEN = _('"%(name)s" cannot be read as a picture: the file is damaged or not a photo.')
TOO_MANY_PIXELS = _('"%(name)s" is %(width)s × %(height)s pixels: a photo may have at most '
                    '%(max)s megapixels.')

# first bytes of the image formats taken, and their mimetype
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
# the mimetype of each format as Pillow names it, and the format a picture is written back in
_PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
                   "WEBP": "image/webp"}


def photo_type(head):
    """The mimetype of a picture by its first bytes (at least 12), or None for anything else."""
    head = bytes(head or b"")
    for signature, mimetype in _SIGNATURES:
        if head.startswith(signature):
            return mimetype
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def megabytes(size):
    """The size in MB rounded up to a tenth (a file over the limit never reads as the limit)."""
    tenths = -(-size * 10 // (1024 * 1024))
    return ("%d.%d" % divmod(tenths, 10)).rstrip("0").rstrip(".")


def _name(name):
    return " ".join(str(name or "").split()) or "?"


def check_photos(photos, max_photos=MAX_PHOTOS, max_size=MAX_PHOTO_SIZE):
    """Check the files attached to a form by their first bytes and size.

    ``photos``: [(file name, size in bytes, first bytes)] (an empty file input left out by the
    caller). Returns ``(types, problems)``: the mimetype of each file (None for one that is not a
    picture) and the problems [Problem], none when every file may be taken."""
    problems = []
    types = []
    if len(photos) > max_photos:
        problems.append(Problem(TOO_MANY, {"max": max_photos, "count": len(photos)}))
    for name, size, head in photos:
        mimetype = photo_type(head)
        if not mimetype:
            problems.append(Problem(NOT_IMAGE, {"name": _name(name)}))
        elif size > max_size:
            problems.append(Problem(TOO_BIG, {"name": _name(name), "size": megabytes(size),
                                               "max": max_size // (1024 * 1024)}))
        types.append(mimetype)
    return types, problems


def strip_metadata(data, name="?", max_pixels=MAX_PIXELS):
    """``data`` (a JPEG, PNG, GIF or WebP) written anew without its metadata: returns (bytes,
    mimetype). The picture is turned upright as its EXIF orientation says, then saved with no
    EXIF, GPS, XMP, comments, text chunks or colour profile (an animated GIF or WebP keeps its
    first frame). Raises ProblemError (``NOT_IMAGE``, ``BROKEN``, ``TOO_MANY_PIXELS``) for what
    is not such a picture or cannot be opened."""
    from PIL import Image, ImageOps

    name = _name(name)
    if not photo_type(data[:16]):
        raise ProblemError(Problem(NOT_IMAGE, {"name": name}))
    try:
        with warnings.catch_warnings():
            # a picture over Pillow's own limit is a decompression bomb: refused, not a warning
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ProblemError(Problem(TOO_MANY_PIXELS, {
                    "name": name, "width": width, "height": height,
                    "max": max_pixels // (1000 * 1000)}))
            source_format = image.format
            if source_format not in _PILLOW_FORMATS:
                raise ProblemError(Problem(NOT_IMAGE, {"name": name}))
            image.load()
            upright = ImageOps.exif_transpose(image)
            # a new picture of the same pixels: nothing of the file's info is carried over
            clean = upright.copy()
            kept = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
            clean.info = kept
            if source_format == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            options = {}
            if source_format == "JPEG":
                options = {"quality": 90, "optimize": True}
            elif source_format == "WEBP":
                options = {"quality": 90}
            clean.save(out, format=source_format, **options)
    except ProblemError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ProblemError(Problem(TOO_MANY_PIXELS, {
            "name": name, "width": "?", "height": "?", "max": max_pixels // (1000 * 1000)}))
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError,
            MemoryError, ZeroDivisionError):
        raise ProblemError(Problem(BROKEN, {"name": name}))
    return out.getvalue(), _PILLOW_FORMATS[source_format]


def clean_photos(photos, max_photos=MAX_PHOTOS, max_size=MAX_PHOTO_SIZE,
                 max_pixels=MAX_PIXELS):
    """The files of a form ``photos`` [(file name, bytes)] checked and stripped of metadata.

    Returns ``(clean, problems)``: [(file name, bytes, mimetype)] when every file is a picture
    that may be taken, else [] and the problems [Problem] (nothing is to be saved then)."""
    _types, problems = check_photos([(name, len(data), data[:16]) for name, data in photos],
                                    max_photos, max_size)
    if problems:
        return [], problems
    clean = []
    for name, data in photos:
        try:
            stripped, mimetype = strip_metadata(data, name, max_pixels)
        except ProblemError as error:
            problems.append(error.problem)
            continue
        clean.append((_name(name), stripped, mimetype))
    if problems:
        return [], problems
    return clean, []
