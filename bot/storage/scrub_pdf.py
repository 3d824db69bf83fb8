"""A PDF without what it says about its authors: document info, every XMP ``/Metadata``
stream (document, pages, pictures, fonts...), attached files, page thumbnails, private
application data, annotation authors and pop-ups; pictures whose encoding can hold EXIF
(JPEG, JPEG 2000) are re-encoded through the picture cleaner.

Streams are copied as they are, never inflated (``StreamDecodeLevel.none``), and qpdf's
own decoding limits are set, so a small PDF cannot make the bot allocate gigabytes.
"""
from __future__ import annotations

import io
import threading

from bot.storage.file_limits import MAX_PDF_STREAM_BYTES, Budget
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


def clean_pdf(data: bytes, budget: Budget | None = None) -> bytes:
    pikepdf = _pikepdf()
    budget = budget or Budget()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
            del names["/EmbeddedFiles"]
        for page in pdf.pages:
            _clean_annotations(pikepdf, page.obj)
        for obj in list(pdf.objects):
            _clean_object(pikepdf, obj, budget)
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


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


def _clean_object(pikepdf, obj, budget: Budget, depth: int = 0) -> None:
    """Drop the personal keys of one object and of the dictionaries written inside it."""
    if depth > 50:
        return
    if isinstance(obj, pikepdf.Dictionary) or isinstance(obj, pikepdf.Stream):
        for key in DROPPED_KEYS:
            if key in obj:
                del obj[key]
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            _clean_image(pikepdf, obj, budget)
        children = [obj[key] for key in obj.keys()]
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if not getattr(child, "is_indirect", True):        # indirect ones are visited on their own
            _clean_object(pikepdf, child, budget, depth + 1)


def _clean_image(pikepdf, image, budget: Budget) -> None:
    filters = image.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else \
        [str(filters)] if filters is not None else []
    if not names or names[-1] not in SELF_DESCRIBING:
        return
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    budget.spend_pixels(width, height)
    # Only the general filters (Flate...) before the picture's own are undone here.
    encoded = image.read_bytes(decode_level=pikepdf.StreamDecodeLevel.generalized) \
        if len(names) > 1 else image.read_raw_bytes()
    clean = clean_picture(encoded, flatten=True)       # checks the picture's own header too
    image.write(clean.data, filter=pikepdf.Name.DCTDecode)
    image.ColorSpace = pikepdf.Name.DeviceRGB
    image.BitsPerComponent = 8
    for key in ("/Decode", "/DecodeParms", "/SMaskInData"):
        if key in image:
            del image[key]
