"""A customer's photo is checked by what it is, not what it is called, and re-encoded
without metadata, at most 2000 px on its longer side."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ebs_desktop.domain.photos import MAX_BYTES, clean_photo
from ebs_desktop.errors import ValidationError

GPS_IFD = 0x8825


def _image(fmt: str, size: tuple[int, int] = (64, 48), *, exif: bool = False,
           mode: str = "RGB") -> bytes:
    picture = Image.new(mode, size, "red" if mode != "L" else 128)
    out = io.BytesIO()
    options: dict[str, object] = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SnoopCam"  # Make
        tags[0x0112] = 6  # orientation: rotate 90 to show upright
        tags.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
        options["exif"] = tags.tobytes()
    picture.save(out, format=fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                           ("WEBP", "image/webp")])
def test_each_allowed_format_comes_back_as_itself(fmt: str, mime: str) -> None:
    photo = clean_photo(_image(fmt))
    assert photo.content_type == mime
    with Image.open(io.BytesIO(photo.data)) as again:
        assert again.format == fmt
        assert again.size == (64, 48) == (photo.width, photo.height)


def test_metadata_is_dropped_and_the_orientation_applied() -> None:
    sent = _image("JPEG", (80, 40), exif=True)
    with Image.open(io.BytesIO(sent)) as before:
        assert before.getexif()[0x010F] == "SnoopCam"
    photo = clean_photo(sent)
    with Image.open(io.BytesIO(photo.data)) as kept:
        assert dict(kept.getexif()) == {}
        assert "exif" not in kept.info
        assert kept.size == (40, 80)  # turned upright, then the tag thrown away
    assert b"SnoopCam" not in photo.data


def test_bytes_hidden_after_the_image_are_not_kept() -> None:
    sent = _image("PNG") + b"<script>alert(1)</script>"
    assert b"<script>" not in clean_photo(sent).data


def test_a_large_photo_is_scaled_to_2000_px_on_its_longer_side() -> None:
    photo = clean_photo(_image("PNG", (4000, 1000), mode="L"))
    assert (photo.width, photo.height) == (2000, 500)


@pytest.mark.parametrize("sent", [
    b"GIF89a" + b"\0" * 100,  # not an image at all, whatever its name
    b"%PDF-1.4 pretend",
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
])
def test_what_is_not_a_jpeg_png_or_webp_is_refused(sent: bytes) -> None:
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP") as caught:
        clean_photo(sent)
    assert caught.value.location == "photo"


def test_a_real_gif_is_refused_too() -> None:
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        clean_photo(_image("GIF"))


def test_a_truncated_jpeg_is_refused() -> None:
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        clean_photo(_image("JPEG", (300, 300))[:200])


def test_more_than_5_mb_is_refused_before_it_is_opened() -> None:
    with pytest.raises(ValidationError, match="at most 5 MB"):
        clean_photo(b"\xff\xd8" + b"\0" * MAX_BYTES)


def test_an_empty_upload_is_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        clean_photo(b"")
