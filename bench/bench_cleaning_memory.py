"""Peak memory of cleaning one file: bombs, and an honest 48-megapixel photo for scale.

Each file is cleaned in a fresh process; the figure is the growth of its peak resident set
(``ru_maxrss``) over the cleaner already imported. ``--old REV`` measures the cleaner of an
earlier commit (``git show REV:bot/scrub.py``) on the same files.

    .venv/bin/python bench/bench_cleaning_memory.py [--old febbb9f]
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import planted_files as planted

CHILD = r"""
import resource, sys, time
sys.path.insert(0, {root!r})
{imports}
data = open({path!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.process_time()
try:
    result = scrub(data, kind="document", mime_type={mime!r}, file_name=None)
    outcome = "cleaned" if result.cleaned else "kept, not cleaned"
except Exception as exc:
    outcome = "refused: " + type(exc).__name__
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{{(after - before) / 1024:.0f}}\t{{time.process_time() - start:.2f}}\t{{outcome}}")
"""
NEW_IMPORTS = ("from bot.storage.scrub import scrub\n"
               "from bot.storage.scrub_image import pillow; pillow()\n"
               "import pikepdf, lxml.etree")
OLD_IMPORTS = "from old_scrub import scrub\nimport PIL.Image, pikepdf"


def docx_bomb(inflated_mb: int) -> bytes:
    """Streamed, so building it does not hold the inflated part in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as member:
            block = b"\x00" * (1024 * 1024)
            for _ in range(inflated_mb):
                member.write(block)
    return out.getvalue()


def bilevel(fmt: str, side: int, **options) -> bytes:
    """A black square of side x side at one bit a pixel: a few kilobytes compressed, three
    bytes a pixel once converted to RGB."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format=fmt, **options)
    return out.getvalue()


def png_rgba(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGBA").save(out, format="PNG")
    return out.getvalue()


def photo_48mp() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.linear_gradient("L").resize((8000, 6000)).convert("RGB").save(out, format="JPEG")
    return out.getvalue()


CASES = [
    ("TIFF (deflate) 13000x13000 (169 MP)",
     lambda: bilevel("TIFF", 13_000, compression="tiff_adobe_deflate"), "image/tiff"),
    ("PNG 13000x13000 (169 MP)", lambda: bilevel("PNG", 13_000, optimize=True), "image/png"),
    ("TIFF header declaring 100000x100000", lambda: planted.tiff_declaring(100_000, 100_000),
     "image/tiff"),
    ("DOCX, one part inflating to 1 GB", lambda: docx_bomb(1024),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("JPEG photo, 8000x6000 (48 MP)", photo_48mp, "image/jpeg"),
    ("PNG with transparency, 7000x7000 (49 MP)", lambda: png_rgba(7000, 7000), "image/png"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", metavar="REV", help="also measure bot/scrub.py at REV")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        runs = [("now", NEW_IMPORTS)]
        if args.old:
            source = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.old}:bot/scrub.py"],
                                    check=True, capture_output=True, text=True).stdout
            Path(folder, "old_scrub.py").write_text(source)
            runs.append((args.old, OLD_IMPORTS))
        print("cleaner\tfile\tsize KB\tpeak growth MB\tCPU s\toutcome")
        for label, build, mime in CASES:
            data = build()
            path = Path(folder, "input.bin")
            path.write_bytes(data)
            for run, imports in runs:
                code = CHILD.format(root=str(ROOT), imports=imports, path=str(path), mime=mime)
                done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                      text=True, cwd=folder)
                line = done.stdout.strip() or f"-\t-\tcrashed ({done.returncode})"
                print(f"{run}\t{label}\t{len(data) / 1024:.1f}\t{line}")


if __name__ == "__main__":
    main()
