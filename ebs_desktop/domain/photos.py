"""A customer's photo (a meter, a damaged seal): checked by its content and re-encoded.

The portal takes a photo from anybody signed in, so nothing of the upload is kept as it
came: the bytes are opened by Pillow and must *be* a JPEG, PNG or WebP image (the file's
name and the browser's content type are ignored), at most :data:`MAX_BYTES`; the image is
then drawn anew at most :data:`MAX_SIDE` pixels on its longer side and saved in the same
format. Re-encoding drops every piece of metadata (EXIF with the camera's GPS position,
XMP, ICC profiles, comments) and any bytes hidden after the image, and turns a decompression
bomb into a refusal instead of a server out of memory. The EXIF orientation is applied
before it is dropped, so a phone's portrait photo stays upright.

Bytes in, bytes out: no I/O, no database.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ebs_desktop.errors import ValidationError

MAX_BYTES = 5 * 1024 * 1024  # the upload as sent
MAX_SIDE = 2000  # pixels, the longer side of what is kept
MAX_PIXELS = 50_000_000  # refuse to decode anything larger (a decompression bomb)

# Pillow's format name -> (MIME type, how it is saved again)
FORMATS: dict[str, tuple[str, dict[str, object]]] = {
    "JPEG": ("image/jpeg", {"quality": 85, "optimize": True}),
    "PNG": ("image/png", {"optimize": True}),
    "WEBP": ("image/webp", {"quality": 85}),
}
CONTENT_TYPES = tuple(mime for mime, _ in FORMATS.values())


@dataclass(frozen=True)
class Photo:
    content_type: str  # one of CONTENT_TYPES
    width: int
    height: int
    data: bytes


def clean_photo(upload: bytes, *, location: str = "photo") -> Photo:
    """The photo re-encoded without metadata, or ValidationError naming ``location``."""
    if not upload:
        raise ValidationError("the photo is empty", location=location)
    if len(upload) > MAX_BYTES:
        raise ValidationError(f"the photo is {len(upload) / 1024 / 1024:.1f} MB; "
                              f"at most {MAX_BYTES // 1024 // 1024} MB, please",
                              location=location)
    refusal = ValidationError("the photo must be a JPEG, PNG or WebP image",
                              location=location)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(upload), formats=list(FORMATS)) as image:
                kind = image.format or ""
                if kind not in FORMATS:
                    raise refusal
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError("the photo has too many pixels", location=location)
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refusal from None
    mime, options = FORMATS[kind]
    picture = _drawable(upright, kind)
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format=kind, **options)  # no exif=, no icc_profile=: none kept
    return Photo(mime, picture.width, picture.height, out.getvalue())


def _drawable(image: Image.Image, kind: str) -> Image.Image:
    """A fresh image holding only the pixels (JPEG takes no alpha, no palette)."""
    if kind == "JPEG":
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if ("A" in image.mode or "transparency" in image.info) else "RGB"
    pixels = image.convert(mode)
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    return fresh
