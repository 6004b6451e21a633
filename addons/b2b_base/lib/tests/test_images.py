"""The pictures dealers upload (lib/images.py): what is a picture, the limits, and the metadata a
camera writes (the place a photo was taken) gone from what is kept."""
import io

import pytest
from PIL import Image, TiffImagePlugin

from b2b_base.lib import images
from b2b_base.lib.messages import ProblemError

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(40, 20), orientation=None):
    """A real JPEG whose EXIF holds the camera, a GPS position and, optionally, an orientation,
    with a comment."""
    image = Image.new("RGB", size, (200, 30, 30))
    # the left half dark: where it ends up shows how the picture was turned
    for x in range(size[0] // 2):
        for y in range(size[1]):
            image.putpixel((x, y), (10, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"   # Make
    exif[0x0110] = "Phone X"      # Model
    if orientation:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"shot at home")
    return out.getvalue()


def png_with_text():
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret place")
    info.add_text("GPS", "55.75,37.61")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def test_photo_type_reads_the_bytes_not_the_name():
    assert images.photo_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert images.photo_type(b"\x89PNG\r\n\x1a\n\x00") == "image/png"
    assert images.photo_type(b"GIF87a\x01") == "image/gif"
    assert images.photo_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert images.photo_type(b"%PDF-1.4") is None
    assert images.photo_type(b"<svg xmlns=") is None
    assert images.photo_type(None) is None


def test_check_photos_says_what_is_wrong_with_each_file():
    jpeg = jpeg_with_gps()
    types, problems = images.check_photos(
        [("a.jpg", len(jpeg), jpeg[:16]), ("price.pdf", 100, b"%PDF-1.4"),
         ("big.jpg", images.MAX_PHOTO_SIZE + 1, jpeg[:16])])
    assert types == ["image/jpeg", None, "image/jpeg"]
    assert [problem.render() for problem in problems] == [
        '"price.pdf" is not a picture: attach photos (JPEG, PNG, GIF or WebP).',
        '"big.jpg" is 10.1 MB: a photo may be at most 10 MB.']
    _types, problems = images.check_photos([("p.jpg", 10, jpeg[:16])] * 3, max_photos=2)
    assert [problem.render() for problem in problems] == ["at most 2 photos (now 3)."]
    assert images.check_photos([("a.jpg", images.MAX_PHOTO_SIZE, jpeg[:16])])[1] == []


def test_the_gps_and_exif_of_a_jpeg_are_gone():
    original = jpeg_with_gps()
    before = Image.open(io.BytesIO(original))
    assert before.getexif().get_ifd(GPS_IFD), "the test photo carries a position"
    assert b"PhoneMaker" in original and b"shot at home" in original

    data, mimetype = images.strip_metadata(original, "defect.jpg")
    assert mimetype == "image/jpeg"
    after = Image.open(io.BytesIO(data))
    assert after.format == "JPEG" and after.size == (40, 20)
    assert not after.getexif()
    assert "exif" not in after.info and "comment" not in after.info
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"shot at home" not in data


def test_the_orientation_is_applied_before_the_exif_goes():
    # orientation 6: the camera was turned; the picture is shown turned 90 degrees clockwise
    data, _mimetype = images.strip_metadata(jpeg_with_gps((40, 20), orientation=6), "turned.jpg")
    after = Image.open(io.BytesIO(data))
    assert after.size == (20, 40)
    assert ORIENTATION not in after.getexif()
    # the dark left half of the stored picture is on top once upright
    assert after.convert("L").getpixel((10, 5)) < 60
    assert after.convert("L").getpixel((10, 35)) > 60


def test_the_text_of_a_png_is_gone():
    data, mimetype = images.strip_metadata(png_with_text(), "a.png")
    assert mimetype == "image/png"
    assert b"secret place" not in data and b"55.75" not in data
    assert Image.open(io.BytesIO(data)).getpixel((1, 1)) == (0, 120, 0)


def test_what_pillow_cannot_open_is_refused():
    with pytest.raises(ProblemError) as caught:
        images.strip_metadata(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png")
    assert caught.value.render() == (
        '"broken.png" cannot be read as a picture: the file is damaged or not a photo.')
    truncated = jpeg_with_gps()[:200]
    with pytest.raises(ProblemError):
        images.strip_metadata(truncated, "cut.jpg")
    with pytest.raises(ProblemError) as caught:
        images.strip_metadata(b"%PDF-1.4\n", "price.pdf")
    assert caught.value.template == images.NOT_IMAGE


def bomb(side):
    """A small PNG file of a huge black-and-white picture."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_a_decompression_bomb_is_refused():
    small = bomb(9000)
    assert len(small) < 100 * 1024
    with pytest.raises(ProblemError) as caught:
        images.strip_metadata(small, "bomb.png", max_pixels=50 * 1000 * 1000)
    assert caught.value.render() == (
        '"bomb.png" is 9000 × 9000 pixels: a photo may have at most 50 megapixels.')
    # past Pillow's own limit it is stopped as it is opened, whatever the suite's limit
    with pytest.raises(ProblemError) as caught:
        images.strip_metadata(bomb(12000), "bomb.png", max_pixels=10 ** 12)
    assert caught.value.template == images.TOO_MANY_PIXELS


def test_clean_photos_gives_the_clean_pictures_or_the_problems():
    jpeg = jpeg_with_gps()
    clean, problems = images.clean_photos([("a.jpg", jpeg), ("b.png", png_with_text())])
    assert problems == []
    assert [(name, mimetype) for name, _data, mimetype in clean] == [
        ("a.jpg", "image/jpeg"), ("b.png", "image/png")]
    assert all(b"PhoneMaker" not in data for _name, data, _mimetype in clean)
    clean, problems = images.clean_photos([("a.jpg", jpeg), ("bad.png", b"\x89PNG\r\n\x1a\nxx")])
    assert clean == []
    assert [problem.template for problem in problems] == [images.BROKEN]
