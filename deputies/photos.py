"""Photos from phones: decoded to prove they are images, re-encoded small and EXIF-free."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_EDGE = 1600
THUMB_EDGE = 400
# Refuse absurd pixel counts before decoding (a "decompression bomb" is a tiny file that
# expands to gigabytes): 60 megapixels is larger than any phone camera.
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class PreparedPhoto:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image: Image.Image, edge: int, quality: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: the saved JPEG carries no EXIF (GPS positions stay on the phone).
    copy.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def photo_prepare(upload: UploadedFile) -> PreparedPhoto:
    """Validate an uploaded file by decoding it; return the re-encoded photo and thumbnail."""
    name = upload.name or _("the file")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _(
                "%(name)s is larger than 10 MB. "
                "Take the photo again at a lower size or pick another."
            )
            % {"name": name},
            code="too_large",
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(upload)
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels to be a photo.") % {"name": name},
                    code="too_many_pixels",
                )
            probe.verify()
            upload.seek(0)
            image: Image.Image = Image.open(upload)
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValidationError(
            _("%(name)s is not a picture we can read. Use a JPG, PNG or WebP photo.")
            % {"name": name},
            code="not_an_image",
        ) from exc
    # Phones store the camera's orientation in EXIF; apply it before the EXIF is dropped.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode == "L":
        image = image.convert("RGB")
    full = _encode(image, MAX_EDGE, 85)
    thumbnail = _encode(image, THUMB_EDGE, 75)
    with Image.open(io.BytesIO(full.read())) as saved:
        width, height = saved.size
    full.seek(0)
    return PreparedPhoto(full=full, thumbnail=thumbnail, width=width, height=height)
