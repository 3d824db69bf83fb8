"""Files: storing bytes under file_ids, and the media objects (PhotoSize, Document, ...) of messages."""

from __future__ import annotations

import mimetypes
import struct

from .state import Ids, StoredFile

_FOLDERS = {"photo": "photos", "document": "documents", "video": "videos", "voice": "voice",
            "audio": "music", "sticker": "stickers", "animation": "animations", "video_note": "video_notes"}
_DEFAULT_MIME = {"voice": "audio/ogg", "video": "video/mp4", "audio": "audio/mpeg", "photo": "image/jpeg",
                 "animation": "video/mp4", "sticker": "image/webp", "video_note": "video/mp4"}
_TELEGRAM_TYPE = {"photo": "Photo", "document": "Document", "video": "Video", "voice": "VoiceNote",
                  "audio": "Audio", "sticker": "Sticker", "animation": "Animation", "video_note": "VideoNote"}


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG, else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return w, h
            i += 2 + length
    return None


class FileStore:
    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}

    def add(self, kind: str, data: bytes, *, size: int | None = None, file_name: str | None = None,
            mime_type: str | None = None, url: str | None = None, **meta) -> StoredFile:
        file_id, unique_id, _ = self.ids.file_ids(kind)
        if mime_type is None and kind in ("document", "audio") and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        f = StoredFile(file_id, unique_id, kind, data, len(data) if size is None else size,
                       file_name=file_name, mime_type=mime_type or _DEFAULT_MIME.get(kind), url=url, meta=meta)
        self.by_id[file_id] = f
        return f

    def add_photo(self, data: bytes, *, width: int | None = None, height: int | None = None) -> StoredFile:
        dims = image_size(data) or (1280, 960)
        width, height = width or dims[0], height or dims[1]
        scale = 90 / max(width, height, 1)
        thumb = self.add("photo", b"emulator-thumbnail:" + data[:16],
                         width=max(1, round(width * scale)), height=max(1, round(height * scale)))
        return self.add("photo", data, width=width, height=height, thumb=thumb)

    def path_of(self, f: StoredFile) -> str:
        if f.file_path is None:
            ext = ""
            if f.file_name and "." in f.file_name:
                ext = f.file_name.rsplit(".", 1)[1]
            elif f.mime_type:
                ext = (mimetypes.guess_extension(f.mime_type) or ".bin").lstrip(".")
            n = f.file_id[-6:].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
            f.file_path = f"{_FOLDERS.get(f.kind, 'documents')}/file_{n or len(self.by_path)}.{ext or 'bin'}"
            self.by_path[f.file_path] = f
        return f.file_path


def telegram_type(kind: str) -> str:
    return _TELEGRAM_TYPE.get(kind, kind.title())


def media_object(f: StoredFile) -> dict:
    """The Bot API object for a stored file: a list of PhotoSize for photos, else Document, Video..."""
    base = {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size}
    meta = f.meta
    if f.kind == "photo":
        sizes = []
        thumb = meta.get("thumb")
        if thumb is not None:
            sizes.append({"file_id": thumb.file_id, "file_unique_id": thumb.file_unique_id,
                          "file_size": thumb.size, "width": thumb.meta["width"], "height": thumb.meta["height"]})
        sizes.append({**base, "width": meta.get("width", 1280), "height": meta.get("height", 960)})
        return {"photo": sizes}
    obj = dict(base)
    if f.kind in ("video", "animation", "video_note"):
        obj.update(width=meta.get("width", 640), height=meta.get("height", 480), duration=meta.get("duration", 1))
        if f.kind == "video_note":
            obj = {**base, "length": meta.get("width", 240), "duration": meta.get("duration", 1)}
    elif f.kind in ("voice", "audio"):
        obj["duration"] = meta.get("duration", 1)
    elif f.kind == "sticker":
        obj.update(type="regular", width=512, height=512, is_animated=False, is_video=False,
                   emoji=meta.get("emoji", "👍"))
    if f.file_name and f.kind in ("document", "video", "audio", "animation"):
        obj["file_name"] = f.file_name
    if f.mime_type and f.kind in ("document", "video", "voice", "audio", "animation"):
        obj["mime_type"] = f.mime_type
    return {f.kind: obj}
