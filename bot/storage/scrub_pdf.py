"""A PDF without what it says about its authors: document info, every XMP ``/Metadata``
stream (document, pages, pictures, fonts...), attached files, page thumbnails, private
application data, annotation authors and pop-ups; pictures whose encoding can hold EXIF
(JPEG, JPEG 2000) are re-encoded through the picture cleaner.

Streams are copied as they are, never inflated (``StreamDecodeLevel.none``); the object
streams qpdf must read to find objects are inflated under qpdf's own limits, set here, and
a Flate layer around a picture under ours, so a small PDF cannot make the bot allocate
gigabytes.
"""
from __future__ import annotations

import io
import threading
import zlib
from dataclasses import dataclass

from bot.storage.file_limits import MAX_PDF_STREAM_BYTES, Budget, FileRefused
from bot.storage.scrub_image import clean_picture

# Keys whose value carries authorship, attachments or a preview, wherever they appear.
DROPPED_KEYS = ("/Metadata", "/PieceInfo", "/EF", "/RF", "/AF", "/Thumb", "/LastModified")
# Markup annotations name their author in /T (a form field's /T is its name: kept).
ANNOTATION_PERSONAL_KEYS = ("/T", "/Popup", "/M", "/CreationDate", "/NM")
DROPPED_ANNOTATIONS = ("/Popup", "/FileAttachment", "/Sound", "/Movie", "/RichMedia",
                       "/Screen")
# Pictures stored in a file format of their own (EXIF, XMP and GeoJP2 boxes live there);
# other filters hold bare samples, with nothing but pixels.
SELF_DESCRIBING = ("/DCTDecode", "/JPXDecode")
_limits_set = threading.Lock()
_limited = False


@dataclass(frozen=True)
class CleanPdf:
    data: bytes
    complete: bool       # False: a picture inside could not be re-encoded and is kept


@dataclass
class _Pass:
    budget: Budget
    complete: bool = True


def clean_pdf(data: bytes, budget: Budget | None = None) -> CleanPdf:
    """The PDF cleaned (a PDF qpdf cannot open within its limits raises, like a damaged
    one: it is kept as sent and marked not cleaned)."""
    from pikepdf.settings import qpdf_limit_errors

    pikepdf = _pikepdf()
    # A limit qpdf only warns about shows in its count of limit errors; cleanings run one
    # at a time, so the count is ours.
    limits_hit = qpdf_limit_errors()
    cleaned = _clean(pikepdf, data, _Pass(budget or Budget()))
    if qpdf_limit_errors() > limits_hit:
        raise FileRefused("a stream decodes past the limit")
    return cleaned


def _clean(pikepdf, data: bytes, state: _Pass) -> CleanPdf:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
            del names["/EmbeddedFiles"]
        for page in pdf.pages:
            _clean_annotations(pikepdf, page.obj)
        for obj in list(pdf.objects):
            _clean_object(pikepdf, obj, state)
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return CleanPdf(out.getvalue(), state.complete)


def _pikepdf():
    global _limited
    import pikepdf
    from pikepdf.settings import set_qpdf_limits

    with _limits_set:
        if not _limited:
            set_qpdf_limits(flate_max_memory=MAX_PDF_STREAM_BYTES,
                            png_max_memory=MAX_PDF_STREAM_BYTES,
                            tiff_max_memory=MAX_PDF_STREAM_BYTES,
                            run_length_max_memory=MAX_PDF_STREAM_BYTES,
                            dct_max_memory=MAX_PDF_STREAM_BYTES)
            _limited = True
    return pikepdf


def _clean_annotations(pikepdf, page) -> None:
    annotations = page.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return
    kept = pikepdf.Array()
    for annotation in annotations:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = annotation.get("/Subtype")
        if subtype in DROPPED_ANNOTATIONS:
            continue
        if subtype != "/Widget":
            for key in ANNOTATION_PERSONAL_KEYS:
                if key in annotation:
                    del annotation[key]
        kept.append(annotation)
    page["/Annots"] = kept


def _clean_object(pikepdf, obj, state: _Pass, depth: int = 0) -> None:
    """Drop the personal keys of one object and of the dictionaries written inside it."""
    if depth > 50:
        return
    if isinstance(obj, pikepdf.Dictionary) or isinstance(obj, pikepdf.Stream):
        for key in DROPPED_KEYS:
            if key in obj:
                del obj[key]
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            _clean_image(pikepdf, obj, state)
        children = [obj[key] for key in obj.keys()]
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if not getattr(child, "is_indirect", True):        # indirect ones are visited on their own
            _clean_object(pikepdf, child, state, depth + 1)


def _clean_image(pikepdf, image, state: _Pass) -> None:
    filters = image.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else \
        [str(filters)] if filters is not None else []
    if not names or names[-1] not in SELF_DESCRIBING:
        return
    state.budget.spend_pixels(int(image.get("/Width", 0)), int(image.get("/Height", 0)))
    encoded = _picture_file(image, names)
    if encoded is None:
        state.complete = False
        return
    clean = clean_picture(encoded, flatten=True)       # checks the picture's own header too
    image.write(clean.data, filter=pikepdf.Name.DCTDecode)
    image.ColorSpace = pikepdf.Name.DeviceRGB
    image.BitsPerComponent = 8
    for key in ("/Decode", "/DecodeParms", "/SMaskInData"):
        if key in image:
            del image[key]


def _picture_file(image, names: list[str]) -> bytes | None:
    """The JPEG (2000) file inside the stream; a Flate layer around it is inflated here,
    never past MAX_PDF_STREAM_BYTES (qpdf decodes all of a stream's filters or none)."""
    raw = image.read_raw_bytes()
    if len(names) == 1:
        return raw
    if names[:-1] != ["/FlateDecode"] or image.get("/DecodeParms") is not None:
        return None
    inflater = zlib.decompressobj()
    encoded = inflater.decompress(raw, MAX_PDF_STREAM_BYTES + 1)
    if len(encoded) > MAX_PDF_STREAM_BYTES:
        raise FileRefused("a picture inflates past the limit")
    return encoded
