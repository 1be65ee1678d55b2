"""Image uploads: checked by content, size-capped, re-encoded without EXIF, random names."""
import io
import os
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from services.errors import Invalid, TooLarge

FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".png"}
KINDS = {"users", "patients", "menus", "menu_categories", "service_categories", "services",
         "promotions", "brandstore", "doctors", "threads", "thread_messages_image",
         "thread_messages_attachments"}


def upload_root() -> Path:
    """The folder uploads live in (outside the code tree)."""
    return Path(current_app.config["UPLOAD_DIR"])


def public_url(kind: str, name: str | None) -> str:
    """Absolute URL of an uploaded file, or "" when there is none."""
    if not name:
        return ""
    return f"{current_app.config['PUBLIC_BASE_URL']}/uploads/{kind}/{name}"


def save_image(file_storage, kind: str, field: str = "picture") -> str:
    """Validate and store an uploaded image; returns the new file name."""
    if kind not in KINDS:
        raise ValueError(kind)
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise Invalid(fields={field: "Pilih berkas gambar."})
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        shown = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise TooLarge(f"Berkas lebih dari {shown}.", fields={field: "Terlalu besar."})
    Image.MAX_IMAGE_PIXELS = current_app.config["UPLOAD_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooLarge("Dimensi gambar terlalu besar.", fields={field: "Dimensi terlalu besar."}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Invalid("Berkas bukan gambar yang valid.",
                      fields={field: "Gunakan gambar JPEG, PNG, WEBP atau GIF."}) from exc
    if image.format not in FORMATS:
        raise Invalid("Format gambar tidak didukung.",
                      fields={field: "Gunakan gambar JPEG, PNG, WEBP atau GIF."})
    extension = FORMATS[image.format]
    image = ImageOps.exif_transpose(image)
    if extension == ".jpg":
        mode = "RGB"
    elif extension == ".webp":
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") or "transparency" in image.info \
            else "RGB"
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = image.convert(mode)
    pixels.info = {}  # only the pixels are kept: no comment, EXIF, ICC, XMP or text chunks
    buffer = io.BytesIO()
    if extension == ".jpg":
        pixels.save(buffer, "JPEG", quality=88, optimize=True)
    elif extension == ".webp":
        pixels.save(buffer, "WEBP", quality=88)
    else:
        pixels.save(buffer, "PNG", optimize=True)
    name = secrets.token_urlsafe(12).replace("-", "x").replace("_", "y") + extension
    folder = upload_root() / kind
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.part"
    temporary.write_bytes(buffer.getvalue())
    os.replace(temporary, folder / name)
    return name


def remove_file(kind: str, name: str | None):
    """Delete a stored upload if it exists (after the row no longer points at it)."""
    if not name or "/" in name or name.startswith("."):
        return
    path = upload_root() / kind / name
    if path.is_file():
        path.unlink()


def _size_checked(file_storage, field: str) -> bytes:
    """The upload's bytes, or 413 past UPLOAD_MAX_BYTES (422 when no file was sent)."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise Invalid(fields={field: "Pilih berkas."})
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        shown = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise TooLarge(f"Berkas lebih dari {shown}.", fields={field: "Terlalu besar."})
    return data


def _is_pdf(data: bytes) -> bool:
    """A PDF by its content: the header at the start and an end-of-file marker near the end
    (the name and the declared type are not trusted)."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def save_attachment(file_storage, kind: str, field: str = "attachments") -> str:
    """Validate and store an attachment: a PDF (checked by its content, stored as sent) or a
    picture (re-encoded like every image). Returns the new file name."""
    if kind not in KINDS:
        raise ValueError(kind)
    data = _size_checked(file_storage, field)
    if not _is_pdf(data):
        file_storage.stream = io.BytesIO(data)
        try:
            return save_image(file_storage, kind, field)
        except Invalid as exc:
            raise Invalid("Lampiran harus berupa PDF atau gambar.",
                          fields={field: "Gunakan berkas PDF, JPEG, PNG, WEBP atau GIF."}) from exc
    name = secrets.token_urlsafe(12).replace("-", "x").replace("_", "y") + ".pdf"
    folder = upload_root() / kind
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.part"
    temporary.write_bytes(data)
    os.replace(temporary, folder / name)
    return name
