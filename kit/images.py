"""Turn a kit's image files into print-ready images: checked paths, cropped and resampled photos, vector pictograms.

Three jobs, for the card decks and posters drawn with reportlab:

- `locate` checks an image path named in content, at load time, so `kit check` reports a URL, a
  path leaving the kit, a missing, unsupported, corrupt or oversized file as a content error.
  It reads only the file's header.
- `prepare` turns a photo into the file reportlab draws: EXIF orientation applied, cropped to
  fill the printed box around a focal point, resampled (LANCZOS) to exactly 300 dpi at the
  printed size, never upscaled (a smaller source keeps its pixels and is flagged
  `low_resolution` below 200 dpi), JPEG for opaque photos, PNG where transparency matters.
  JPEG sources are decoded at a reduced scale with `Image.draft()` when they are much larger
  than needed, which is most of the time a photo costs. Results are cached under
  `cache_dir/images/`, keyed by the source's content hash and every setting, with a small JSON
  sidecar so a cache hit neither decodes nor resamples anything.
- `prepare_all` fills the cache for many photos at once over several processes: the build calls
  it before rendering, because one output (a deck) renders in one process and would otherwise
  resample its photos one after the other.
- `svg_drawing` / `draw_svg` keep SVG pictograms vector (svglib), optionally in greys; `pictogram`
  keeps what drawing one writes under `cache_dir/pictograms`, so a render process draws it without
  parsing it again.

reportlab must write images without ASCII85 (`reportlab.rl_config.useA85 = 0`): with its
default every image stream is ASCII85-encoded in pure Python. Measured here on 54 prepared
full-bleed poker-card photos (drawImage + save): 1.2 s with ASCII85, 0.01 s without, and the
PDF 25 % larger (119 KB against 95 KB a card). The issue's own measure, with text and fonts in
the draw, was 8×. `configure_reportlab()` sets it; the deck generator calls it before drawing.
`draw_prepared` places a PreparedImage (PNG transparency needs reportlab's mask="auto").
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from kit.colours import LUMA  # the grey Pillow's "L" conversion and every grey of kit give
from kit.digests import stat_mark
from kit.errors import KitError, Problem

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from kit.project import KitConfig

PRINT_DPI = 300
MIN_DPI = 200  # below this a photo prints visibly soft: the deck warns, naming the card and the image
# JPEG quality of prepared photos: 85 keeps a full-bleed poker card photo (780×1075 px) near
# 100 KB in the PDF while artefacts stay invisible at print size.
JPEG_QUALITY = 85
MM_PER_INCH = 25.4
# Bump when the way images are prepared changes, so old cache entries are not reused.
CACHE_VERSION = 1
CACHE_SUBDIR = "images"
SHA256_HEX_LENGTH = 64

RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif"}
SVG_SUFFIX = ".svg"
IMAGE_SUFFIXES = RASTER_SUFFIXES | {SVG_SUFFIX}
# What Pillow must find inside a raster file (a .jpg may really be a PNG: fine; a PSD is not).
RASTER_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "TIFF", "GIF"}
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# JPEGs draft-decode at 1/2, 1/4 or 1/8 scale; these formats support it.
DRAFT_FORMATS = {"JPEG", "MPO"}
EXAMPLE_PATH = "images/..."
OPAQUE = 255
EIGHT_BIT_LEVELS = 256  # 16-bit greys are scaled down by this to fit 8 bits
ORIENTATION_TAG = 0x0112
ROTATED_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^(data|mailto):")
WINDOWS_DRIVE_RE = re.compile(r"^[a-zA-Z]:[\\/]")


class UnreadableImage(KitError):
    """An image passed `locate` but cannot be decoded in full (e.g. a truncated JPEG).

    `message` completes "expected ..., got ..." like a content error, so a generator can record
    it against the card that names the image.
    """

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --------------------------------------------------------------------------- reportlab setup

def configure_reportlab() -> None:
    """Make reportlab write images as raw binary streams instead of ASCII85 text (idempotent).

    ASCII85 is done in pure Python and makes every image stream 25 % larger; see the module
    docstring for the measure.
    """
    from reportlab import rl_config

    rl_config.useA85 = 0


# --------------------------------------------------------------------------- locate

def locate(config: KitConfig, relative: str) -> tuple[Path | None, str | None]:
    """The image file a content path names, or None and what is wrong ("expected ..., got ...")."""
    shown = (relative or "").strip()
    if not shown:
        return None, f"expected an image file inside the kit ({EXAMPLE_PATH}), got nothing"
    if URL_RE.match(shown):
        return None, f'expected an image file inside the kit ({EXAMPLE_PATH}), got a URL "{shown}"'
    # Residents on Windows may write backslashes; the kit's paths use forward slashes.
    posix = shown.replace("\\", "/")
    if posix.startswith("/") or WINDOWS_DRIVE_RE.match(shown):
        return None, f'expected a path relative to the kit folder ({EXAMPLE_PATH}), got an absolute path "{shown}"'
    if os.path.normpath(posix).split("/")[0] == "..":
        return None, f'expected an image file inside the kit ({EXAMPLE_PATH}), got a path that leaves the kit "{shown}"'
    try:
        (config.root / posix).resolve()
    except (RuntimeError, OSError):  # Python reports a symlink loop as RuntimeError (3.11) or OSError
        return None, f'expected an image file, got a link that leads back to itself (a symlink loop) "{shown}"'
    path = config.inside(posix)
    if path is None:
        return None, f'expected an image file inside the kit ({EXAMPLE_PATH}), got a link that leads outside the kit "{shown}"'
    if not path.exists():
        return None, f'expected an existing image file, got "{shown}", which does not exist{_did_you_mean(path)}'
    if not path.is_file():
        return None, f'expected an image file, got a folder "{shown}"'
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        allowed = ", ".join(sorted(IMAGE_SUFFIXES))
        what = f'a "{suffix}" file' if suffix else "a file without extension"
        return None, f'expected an image of type {allowed}, got {what} "{shown}"'
    problem = _check_svg(path, shown, config.root) if suffix == SVG_SUFFIX else _check_raster(path, shown)
    return (None, problem) if problem else (path, None)


def _did_you_mean(path: Path) -> str:
    """A hint naming the closest file of the same folder, when there is one."""
    if not path.parent.is_dir():
        return ""
    names = [p.name for p in path.parent.iterdir() if p.is_file()]
    close = difflib.get_close_matches(path.name, names, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _check_raster(path: Path, shown: str) -> str | None:
    """What is wrong with a raster file's header, or None: identify, bomb limit, verify."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the limit and twice the limit; here both are an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                size, fmt = im.size, im.format
                _check_bomb(size)
                im.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _bomb_message(size_of(path), shown)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return f'expected a readable image, got a damaged or unknown file "{shown}"'
    if fmt not in RASTER_FORMATS:
        return f'expected a JPEG, PNG, WebP, TIFF or GIF image, got a {fmt} file "{shown}"'
    return _check_pixels(path, shown)


# A JPEG is decoded at 1/8 scale to check it whole: every byte is still read, at a tenth of the cost.
CHECK_DRAFT_SIZE = (64, 64)
# The photos decoded whole, by path → [size, mtime_ns, inode, ctime_ns]: once per file version.
# The build keeps this beside its prepared photos (`decoded()`, `remember_decoded()`, kit.manifest),
# so a rebuild decodes only the photos that changed.
_DECODED: dict[str, list[int]] = {}


def decoded() -> dict[str, list[int]]:
    return dict(_DECODED)


def remember_decoded(known: dict[str, list[int]]) -> None:
    _DECODED.update(known)


def _check_pixels(path: Path, shown: str) -> str | None:
    """Decode the whole image once per file version: verify() reads only the header, and a
    truncated or damaged photo must fail `kit check`, not the build."""
    stamp = _stamp(path)
    if _DECODED.get(str(path)) == stamp:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.format in DRAFT_FORMATS:
                    im.draft("RGB", CHECK_DRAFT_SIZE)
                _load_whole(im)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning):
        return f'expected a readable image, got a damaged file "{shown}" (it stops before its last pixel)'
    _DECODED[str(path)] = stamp
    return None


def decode_ahead(config: KitConfig, relatives: Iterable[str]) -> None:
    """Decode the photos a deck names on every core at once, before `locate` checks them one by one.

    Pillow decodes without holding the GIL, so threads are enough. Only the good news is kept (a
    photo decoded whole is remembered as such): a damaged one is decoded again by `locate`, which
    says what is wrong with it in its place.
    """
    paths = []
    for relative in dict.fromkeys(r.strip().replace("\\", "/") for r in relatives if r):
        try:
            path = config.inside(relative)
            if path is None or path.suffix.lower() not in RASTER_SUFFIXES or not path.is_file():
                continue
            if _DECODED.get(str(path)) != _stamp(path):
                paths.append(path)
        except (RuntimeError, OSError):  # a link loop, a vanished file: `locate` says so
            continue
    if len(paths) < 2:
        return
    from concurrent.futures import ThreadPoolExecutor

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    # Set once around the threads, not by each (see _load_whole): a truncated photo must fail.
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(cores, len(paths)))) as pool:
            list(pool.map(_decode_quietly, paths))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _stamp(path: Path) -> list[int]:
    return stat_mark(path.stat())


def _decode_quietly(path: Path) -> None:
    """Decode one photo whole and remember it if all went well; never raises (see decode_ahead).

    No warnings filter here (they are process-wide, not per thread): the size is checked against
    the bomb limit before any pixel is decoded instead."""
    try:
        stamp = _stamp(path)
        with Image.open(path) as im:
            if im.size[0] * im.size[1] > (Image.MAX_IMAGE_PIXELS or float("inf")):
                return
            if im.format in DRAFT_FORMATS:
                im.draft("RGB", CHECK_DRAFT_SIZE)
            im.load()
    except Exception:  # noqa: BLE001 — locate decodes it again and reports what is wrong
        return
    _DECODED[str(path)] = stamp


def _check_bomb(size: tuple[int, int]) -> None:
    """Refuse an image above Pillow's limit even where Pillow itself only warns or does not look."""
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and size[0] * size[1] > limit:
        raise Image.DecompressionBombError(f"{size[0]}×{size[1]} above {limit} pixels")


def size_of(path: Path) -> tuple[int, int] | None:
    """An image's pixel size from its header, without Pillow's bomb check (for messages only)."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as im:
            return im.size
    except Exception:  # only used to word a message: any failure just leaves the size out
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _grouped(number: int) -> str:
    """A pixel count with its thousands spaced, as "178 956 970"."""
    return f"{number:,}".replace(",", " ")


def _bomb_message(size: tuple[int, int] | None, shown: str) -> str:
    limit = _grouped(Image.MAX_IMAGE_PIXELS or 0)
    found = f"{size[0]}×{size[1]} = {_grouped(size[0] * size[1])} pixels" if size else "more"
    return f'expected an image of at most {limit} pixels (Pillow\'s safety limit), got {found} in "{shown}"'


XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# The DOCTYPE most editors write into SVG files; it is never loaded, so it is harmless.
SVG_PUBLIC_IDS = {"-//W3C//DTD SVG 1.1//EN", "-//W3C//DTD SVG 1.0//EN", "-//W3C//DTD SVG 20010904//EN"}
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
CSS_IMPORT_RE = re.compile(r"@import", re.IGNORECASE)
MAX_SVG_REFERENCES = 20  # depth of <use> chains from one SVG to another inside the kit


def _check_svg(path: Path, shown: str, root: Path | None = None, seen: frozenset[Path] = frozenset()) -> str | None:
    """What is wrong with an SVG file, or None: XML whose root is <svg>, which reads nothing outside
    the kit (no external DTD or entity, every href and url() a fragment or a kit file) and holds no
    raster image. Whether svglib can draw it needs reportlab: `drawing_problem`, a generator check."""
    from lxml import etree

    # Nothing is loaded or fetched while reading: no DTD, no entity, no network.
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        return f'expected a valid SVG file, got XML that cannot be read (line {exc.lineno or 0}) in "{shown}"'
    except (OSError, ValueError):
        return f'expected a valid SVG file, got a file that cannot be read "{shown}"'
    root_element = tree.getroot()
    tag = root_element.tag if isinstance(root_element.tag, str) else ""
    if tag not in ("svg", f"{SVG_NAMESPACE}svg"):
        return f'expected a valid SVG file, got XML whose root is <{tag.split("}")[-1]}> in "{shown}"'
    return _svg_outside_references(tree, path, shown, root or path.parent, seen | {path})


def _svg_outside_references(tree, path: Path, shown: str, root: Path, seen: frozenset[Path]) -> str | None:
    """The first reference of an SVG that leaves the kit (or is not allowed in a pictogram), as a message."""
    docinfo = tree.docinfo
    if docinfo.system_url and docinfo.public_id not in SVG_PUBLIC_IDS:
        return (f'expected an SVG that reads nothing outside itself, got an external DTD "{docinfo.system_url}" '
                f'in "{shown}": delete its <!DOCTYPE> line')
    dtd = docinfo.internalDTD
    for entity in (dtd.iterentities() if dtd is not None else ()):
        if entity.system_url:
            return (f'expected an SVG that reads nothing outside itself, got an external entity "{entity.name}" '
                    f'("{entity.system_url}") in "{shown}": delete its <!ENTITY> line')
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        name = element.tag.split("}")[-1]
        line = element.sourceline or 0
        if name == "image":
            return (f'expected an SVG pictogram of vector shapes, got an embedded image (<image>, line {line}) in '
                    f'"{shown}": use the photo itself as the image, or a vector pictogram')
        for attribute in ("href", XLINK_HREF):
            reference = element.get(attribute)
            if reference is not None:
                problem = _svg_reference(reference.strip(), line, path, shown, root, seen)
                if problem:
                    return problem
        styles = [element.get("style") or "", *(v for k, v in element.attrib.items() if "url(" in v)]
        if name == "style":
            styles.append(element.text or "")
        for style in styles:
            if CSS_IMPORT_RE.search(style):
                return f'expected an SVG that reads nothing outside itself, got a CSS @import (line {line}) in "{shown}"'
            for target in CSS_URL_RE.findall(style):
                if target.strip() and not target.strip().startswith("#"):
                    return (f'expected an SVG that reads nothing outside itself, got url({target.strip()}) '
                            f'(line {line}) in "{shown}"')
    return None


def _svg_reference(reference: str, line: int, path: Path, shown: str, root: Path, seen: frozenset[Path]) -> str | None:
    """Whether one href stays inside the kit: a fragment, or a kit SVG (checked in turn)."""
    if not reference or reference.startswith("#"):
        return None
    outside = (f'expected an SVG that reads only files inside the kit, got a reference to "{reference}" '
               f'(line {line}) in "{shown}"')
    target = reference.split("#", 1)[0]
    if URL_RE.match(target) or target.startswith(("/", "\\")) or WINDOWS_DRIVE_RE.match(target) or ":" in target:
        return outside
    try:
        resolved = (path.parent / target).resolve()
    except (RuntimeError, OSError):
        return outside
    kit = root.resolve()
    if kit not in resolved.parents or not resolved.is_file():
        return outside
    if resolved.suffix.lower() != SVG_SUFFIX:
        return (f'expected an SVG pictogram of vector shapes, got a reference to "{reference}" (line {line}) in '
                f'"{shown}"')
    if resolved in seen or len(seen) > MAX_SVG_REFERENCES:
        return None  # a cycle is svglib's to break; what it reads is already checked
    problem = _check_svg(resolved, reference, root, seen)
    return f'{problem} (used by "{shown}", line {line})' if problem else None


def drawing_problem(path: Path, shown: str, root: Path, cache_dir: Path | None = None) -> str | None:
    """What keeps an SVG from being drawn ("expected ..., got ..."), or None.

    It draws the SVG once on a throwaway page, so what svglib or reportlab cannot draw is found
    by `kit check` (as a generator check: it imports reportlab) instead of in the middle of a
    build. `shown` is the path as the content wrote it; `root` the kit folder; what it drew is
    kept in `cache_dir` for the render (`pictogram`).
    """
    try:
        pictogram(path, root=root, cache_dir=cache_dir)  # drawn once (per file version): what the render writes
    except UnreadableImage as exc:
        return exc.message
    except Exception as exc:  # noqa: BLE001 — any failure inside svglib/reportlab means "cannot be drawn"
        return f'expected an SVG that can be drawn, got one that fails to draw ({type(exc).__name__}: {exc}) "{shown}"'
    return None


# --------------------------------------------------------------------------- prepare

@dataclass(frozen=True)
class PreparedImage:
    """A photo ready to draw: the cached file, its pixels, and how sharp it will print."""

    path: Path  # the cached file to draw (JPEG for opaque photos, PNG where alpha matters)
    pixels: tuple[int, int]
    effective_dpi: float  # min over both axes of source-crop pixels / printed inches
    box_mm: tuple[float, float]
    low_resolution: bool  # effective_dpi < MIN_DPI


@dataclass(frozen=True)
class Crop:
    """The window of the (oriented) source that fills the box, in source pixels."""

    left: float
    top: float
    width: int
    height: int


def crop_to_fill(size: tuple[int, int], box_mm: tuple[float, float], focus: tuple[float, float]) -> Crop:
    """The largest window of the box's aspect inside `size`, centred on the focus, clamped inside."""
    width, height = size
    aspect = box_mm[0] / box_mm[1]
    if width / height > aspect:
        crop_w, crop_h = max(1, min(width, round(height * aspect))), height
    else:
        crop_w, crop_h = width, max(1, min(height, round(width / aspect)))
    fx, fy = (min(1.0, max(0.0, f)) for f in focus)
    left = min(max(fx * width - crop_w / 2, 0.0), width - crop_w)
    top = min(max(fy * height - crop_h / 2, 0.0), height - crop_h)
    return Crop(left, top, crop_w, crop_h)


def print_pixels(box_mm: tuple[float, float], dpi: int) -> tuple[int, int]:
    """The pixels a box needs at `dpi`."""
    return (max(1, round(box_mm[0] / MM_PER_INCH * dpi)), max(1, round(box_mm[1] / MM_PER_INCH * dpi)))


def effective_dpi(crop: Crop, box_mm: tuple[float, float]) -> float:
    """How many source pixels land on each printed inch, on the poorer axis."""
    return min(crop.width / (box_mm[0] / MM_PER_INCH), crop.height / (box_mm[1] / MM_PER_INCH))


def planned_dpi(source: Path, box_mm: tuple[float, float], focus: tuple[float, float]) -> float:
    """The dpi a photo will print at in a box, read from its header alone (no pixel decoded): what
    a check warns about before anything renders, and what `prepare` finds once it has rendered."""
    with Image.open(source) as im:
        raw_w, raw_h = im.size
        orientation = im.getexif().get(ORIENTATION_TAG, 1)
    oriented = (raw_h, raw_w) if orientation in ROTATED_ORIENTATIONS else (raw_w, raw_h)
    return effective_dpi(crop_to_fill(oriented, box_mm, focus), box_mm)


def resolution_problem(file: str, line: int, field_name: str, image: str, box_mm: tuple[float, float],
                       dpi: float, titles: tuple[tuple[str, str], ...] = ()) -> Problem:
    """The warning for a photo that will print soft, at the line that names it."""
    return Problem(file, line, field_name,
                   f"image {image}: expected at least {MIN_DPI} dpi at the printed size "
                   f"({box_mm[0]:.0f}×{box_mm[1]:.0f} mm), got {dpi:.0f} dpi; use a larger image or a smaller box",
                   titles)


SourceStamp = tuple[str, int, int, int, int]
_DIGESTS: dict[SourceStamp, str] = {}
DIGEST_SUBDIR = "sources"


def source_digest(source: Path, index_dir: Path | None = None) -> tuple[str, bytes | None]:
    """The sha256 of a file's bytes, and the bytes when they had to be read.

    Hashing every photo of a deck costs more than drawing the deck from the cache, so the digest
    is remembered by the file's stamp (path, size, inode, mtime_ns, ctime_ns): within the process,
    and in `index_dir` across builds. Any write to the file changes its ctime, which no tool can
    set back, so a changed photo is always hashed again.
    """
    stamp, entry, digest = _known_digest(source, index_dir)
    if digest is not None:
        return digest, None
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    _DIGESTS[stamp] = digest
    if entry is not None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(entry, lambda f: f.write(digest.encode("ascii")))
    return digest, data


def remember_digests(known: dict[str, list]) -> None:
    """Take the digests a build already has of the kit's files (kit.digests.FileDigests.known: path →
    [size, mtime_ns, inode, ctime_ns, digest]): a photo is then hashed once per version, not once
    more to find its prepared file (processes forked afterwards know them too)."""
    for path, (size, mtime_ns, inode, ctime_ns, digest) in known.items():
        _DIGESTS[(path, size, inode, mtime_ns, ctime_ns)] = digest


def _known_digest(source: Path, index_dir: Path | None) -> tuple[SourceStamp, Path | None, str | None]:
    """The file's stamp, its index entry, and its digest when remembered (never reads the file)."""
    stat = source.stat()
    stamp: SourceStamp = (str(source.resolve()), stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
    if stamp in _DIGESTS:
        return stamp, None, _DIGESTS[stamp]
    if index_dir is None:
        return stamp, None, None
    entry = index_dir / hashlib.sha256(json.dumps(stamp).encode()).hexdigest()[:32]
    try:
        digest = entry.read_text(encoding="ascii").strip()
    except OSError:
        digest = ""
    if len(digest) != SHA256_HEX_LENGTH:
        return stamp, entry, None
    _DIGESTS[stamp] = digest
    return stamp, entry, digest


_TEMP_CACHE: tempfile.TemporaryDirectory | None = None


def _default_cache_dir() -> Path:
    """A private cache for callers without one (tests, previews), removed when the process ends."""
    global _TEMP_CACHE
    if _TEMP_CACHE is None:
        _TEMP_CACHE = tempfile.TemporaryDirectory(prefix="kit-images-")
    return Path(_TEMP_CACHE.name)


def prepare(
    source: Path,
    box_mm: tuple[float, float],
    focus: tuple[float, float] = (0.5, 0.5),
    dpi: int = PRINT_DPI,
    cache_dir: Path | None = None,
    greyscale: bool = False,
) -> PreparedImage:
    """The print-ready file for `source` filling `box_mm` around `focus`, from the cache when it is there."""
    box_mm = (float(box_mm[0]), float(box_mm[1]))
    focus = (float(focus[0]), float(focus[1]))
    folder = (cache_dir or _default_cache_dir()) / CACHE_SUBDIR
    digest, data = source_digest(source, folder / DIGEST_SUBDIR)
    key = _cache_key(digest, box_mm, focus, dpi, greyscale)
    sidecar = folder / f"{key}.json"
    cached = _read_sidecar(sidecar, box_mm)
    if cached is not None:
        return cached

    if data is None:
        data = source.read_bytes()
    try:
        image, crop = _decode(data, box_mm, focus, dpi, greyscale)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableImage(f'expected a readable image, got a damaged file "{source.name}" ({exc})') from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnreadableImage(_bomb_message(size_of(source), source.name)) from exc

    dots = effective_dpi(crop, box_mm)
    folder.mkdir(parents=True, exist_ok=True)
    has_alpha = image.mode in ("RGBA", "LA")
    target = folder / f"{key}.{'png' if has_alpha else 'jpg'}"
    out_dpi = image.size[0] / (box_mm[0] / MM_PER_INCH)
    if has_alpha:
        _write_atomic(target, lambda f: image.save(f, "PNG", dpi=(out_dpi, out_dpi)))
    else:
        _write_atomic(target, lambda f: image.save(f, "JPEG", quality=JPEG_QUALITY, dpi=(out_dpi, out_dpi)))
    prepared = PreparedImage(target, image.size, dots, box_mm, dots < MIN_DPI)
    meta = {"file": target.name, "pixels": list(image.size), "effective_dpi": dots}
    _write_atomic(sidecar, lambda f: f.write(json.dumps(meta).encode()))
    return prepared


def _cache_key(digest: str, box_mm: tuple[float, float], focus: tuple[float, float], dpi: int,
               greyscale: bool) -> str:
    return hashlib.sha256(json.dumps([CACHE_VERSION, digest, box_mm, focus, dpi, greyscale]).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PhotoRequest:
    """A photo an output will draw: what `prepare` needs, so the build can prepare it ahead."""

    source: Path
    box_mm: tuple[float, float]
    focus: tuple[float, float] = (0.5, 0.5)
    greyscale: bool = False


def is_cached(request: PhotoRequest, cache_dir: Path) -> bool:
    """Whether `prepare` would answer from the cache, known without reading the source's bytes.

    A source whose digest is not remembered yet counts as missing: hashing it is left to the
    process that prepares it.
    """
    folder = cache_dir / CACHE_SUBDIR
    _, _, digest = _known_digest(request.source, folder / DIGEST_SUBDIR)
    if digest is None:
        return False
    box_mm = (float(request.box_mm[0]), float(request.box_mm[1]))
    focus = (float(request.focus[0]), float(request.focus[1]))
    key = _cache_key(digest, box_mm, focus, PRINT_DPI, request.greyscale)
    return _read_sidecar(folder / f"{key}.json", box_mm) is not None


def prepare_all(requests: Iterable[PhotoRequest], cache_dir: Path, jobs: int) -> int:
    """Prepare every requested photo missing from the cache, over `jobs` processes; how many were prepared.

    Each distinct request is prepared once, whichever outputs ask for it. A photo that cannot be
    decoded is skipped here: the output drawing it reports it against its card. With one job or
    one photo to prepare nothing happens here; the outputs prepare their photos as they draw.
    """
    missing = [request for request in dict.fromkeys(requests) if not is_cached(request, cache_dir)]
    if jobs <= 1 or len(missing) <= 1:
        return 0
    # Fork: the workers start with this process's imports; photos are big, tasks few, so one at a time.
    with ProcessPoolExecutor(max_workers=min(jobs, len(missing)), mp_context=get_context("fork")) as pool:
        return sum(pool.map(_prepare_one, missing, [cache_dir] * len(missing)))


def _prepare_one(request: PhotoRequest, cache_dir: Path) -> int:
    try:
        prepare(request.source, request.box_mm, request.focus, cache_dir=cache_dir, greyscale=request.greyscale)
    except UnreadableImage:
        return 0
    return 1


def _read_sidecar(sidecar: Path, box_mm: tuple[float, float]) -> PreparedImage | None:
    """The cached result a sidecar describes, or None when it or its image is missing or unreadable."""
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        path = sidecar.with_name(meta["file"])
        dots = float(meta["effective_dpi"])
        pixels = (int(meta["pixels"][0]), int(meta["pixels"][1]))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    if not path.is_file():
        return None
    return PreparedImage(path, pixels, dots, box_mm, dots < MIN_DPI)


def _decode(data: bytes, box_mm, focus, dpi, greyscale) -> tuple[Image.Image, Crop]:
    """Decode, orient, crop and resample: the one place where pixels are touched."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        im = Image.open(io.BytesIO(data))
        _check_bomb(im.size)
    raw_w, raw_h = im.size
    orientation = im.getexif().get(ORIENTATION_TAG, 1)
    rotated = orientation in ROTATED_ORIENTATIONS
    oriented = (raw_h, raw_w) if rotated else (raw_w, raw_h)
    crop = crop_to_fill(oriented, box_mm, focus)
    wanted = print_pixels(box_mm, dpi)
    out = wanted if (crop.width >= wanted[0] and crop.height >= wanted[1]) else (
        min(crop.width, wanted[0]), min(crop.height, wanted[1]))

    if im.format in DRAFT_FORMATS:
        # Ask for the smallest whole image whose crop still has the output's pixels; JPEG
        # decodes at 1/2, 1/4 or 1/8 of the size, skipping most of the work for big photos.
        scale = min(crop.width / out[0], crop.height / out[1])
        need = (max(1, int(oriented[0] / scale)), max(1, int(oriented[1] / scale)))
        if rotated:
            need = (need[1], need[0])
        im.draft("L" if greyscale else "RGB", need)
    _load_whole(im)
    if orientation not in (None, 1):
        # Only when needed: exif_transpose copies even an upright image, megapixels for nothing.
        im = ImageOps.exif_transpose(im)
    # The draft may have shrunk the image: the crop window scales with it.
    sx, sy = im.size[0] / oriented[0], im.size[1] / oriented[1]
    window = (crop.left * sx, crop.top * sy, (crop.left + crop.width) * sx, (crop.top + crop.height) * sy)

    im = _resamplable(im)
    if im.size != out or window != (0, 0, im.size[0], im.size[1]):
        im = im.resize(out, Image.Resampling.LANCZOS, box=window)
    return _final_mode(im, greyscale), crop


def _load_whole(im: Image.Image) -> None:
    """Decode every pixel, failing on a truncated file.

    weasyprint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import, which would print a
    half-grey photo in silence; kit wants the content error, so the flag is off while decoding.
    """
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        im.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _resamplable(im: Image.Image) -> Image.Image:
    """The image in a mode LANCZOS can resample and colour can be managed in (alpha kept)."""
    if im.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return im
    if im.mode in ("P", "PA"):
        return im.convert("RGBA")
    if im.mode.startswith("I;16"):
        # 16-bit greys: scale into 8 bits instead of letting convert() clip them to white.
        return im.convert("I").point(lambda v: v * (1 / EIGHT_BIT_LEVELS)).convert("L")
    if "transparency" in im.info and im.mode in ("RGB", "L"):
        return im.convert("RGBA" if im.mode == "RGB" else "LA")
    if im.mode == "1":
        return im.convert("L")
    has_alpha = "A" in im.getbands() or "transparency" in im.info
    return im.convert("RGBA" if has_alpha else "RGB")


def _final_mode(im: Image.Image, greyscale: bool) -> Image.Image:
    """RGB or L for JPEG, RGBA or LA for PNG when some pixel is not fully opaque."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "CMYK"):
        im = _to_srgb(im, icc)
    alpha = None
    if im.mode in ("RGBA", "LA"):
        band = im.getchannel("A")
        if band.getextrema()[0] < OPAQUE:
            alpha = band
    colour = im.convert("L" if greyscale else "RGB")
    if alpha is None:
        return colour
    colour.putalpha(alpha)
    return colour


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    """Convert through an embedded colour profile (Adobe RGB, Display P3, CMYK press) to sRGB."""
    try:
        from PIL import ImageCms

        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(im, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:  # a broken or unsupported profile: the plain conversion is still a fair print
        return im.convert("RGB")


def _write_atomic(target: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename: readers never see half a file."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def draw_prepared(canvas, prepared: PreparedImage, box: tuple[float, float, float, float]) -> None:
    """Draw a prepared image filling box (x, y, w, h in pt); it already has the box's aspect."""
    x, y, w, h = box
    mask = "auto" if prepared.path.suffix == ".png" else None
    canvas.drawImage(str(prepared.path), x, y, w, h, mask=mask)


# --------------------------------------------------------------------------- SVG pictograms

_DRAWINGS: dict[tuple[str, int, bool], Drawing] = {}


def svg_drawing(source: Path, greyscale: bool = False, root: Path | None = None) -> Drawing:
    """A reportlab Drawing of an SVG file, parsed once per file version and shared: callers only
    draw it (reportlab's renderer leaves a drawing as it found it), never change it.

    `root` (the kit folder; by default the SVG's own folder) is where svglib may follow <use> and
    <image> references: anything resolving outside it is refused by svglib itself.
    """
    from svglib.svglib import svg2rlg

    key = (str(source.resolve()), source.stat().st_mtime_ns, greyscale)
    drawing = _DRAWINGS.get(key)
    if drawing is None:
        drawing = svg2rlg(str(source), external_reference_root=str(root or source.parent))
        if drawing is None:
            raise UnreadableImage(f'expected a valid SVG file, got one svglib cannot draw "{source.name}"')
        if greyscale:
            _grey_shapes(drawing)
        # reportlab's drawing renderer declares its default font (Helvetica, never embedded)
        # even for a pictogram without text; naming Inter keeps every font of the PDF embedded.
        from kit.theme import RL_FONTS, register_reportlab_fonts

        register_reportlab_fonts()
        drawing.initialFontName = RL_FONTS["regular"]
        _DRAWINGS[key] = drawing
    return drawing


def _grey_shapes(node) -> None:
    """Turn every fill and stroke colour of a drawing into its luminance grey, in place."""
    from reportlab.lib.colors import Color

    for attr in ("fillColor", "strokeColor"):
        colour = getattr(node, attr, None)
        if isinstance(colour, Color):
            level = LUMA[0] * colour.red + LUMA[1] * colour.green + LUMA[2] * colour.blue
            setattr(node, attr, Color(level, level, level, alpha=colour.alpha))
    for child in getattr(node, "contents", ()):
        _grey_shapes(child)


def draw_svg(canvas, drawing: Drawing | Pictogram, box: tuple[float, float, float, float], fit: str = "contain") -> None:
    """Draw `drawing` (an svg_drawing, or a pictogram) scaled into box (x, y, w, h in pt), centred:
    "contain" shows it whole, "cover" fills and clips."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import ExtGState

    if isinstance(drawing, Pictogram):
        width, height, drawn, whole = drawing.width, drawing.height, drawing.drawn, drawing.drawing
    else:
        width, height, drawn, whole = drawing.width, drawing.height, _operators(drawing), lambda: drawing
    x, y, w, h = box
    if width <= 0 or height <= 0:
        return
    sx, sy = w / width, h / height
    if fit == "contain":
        scale = min(sx, sy)
    elif fit == "cover":
        scale = max(sx, sy)
    else:
        raise ValueError(f'fit must be "contain" or "cover", got {fit!r}')
    canvas.saveState()
    if fit == "cover":
        path = canvas.beginPath()
        path.rect(x, y, w, h)
        canvas.clipPath(path, stroke=0, fill=0)
    canvas.translate(x + (w - width * scale) / 2, y + (h - height * scale) / 2)
    canvas.scale(scale, scale)
    if drawn is None or any(value != ExtGState.defaults.get(key) for key, value in canvas._extgstate._d.items()):
        renderPDF.draw(whole(), canvas, 0, 0)
    else:
        operators, transparency = drawn
        canvas._code.extend(operators)  # what renderPDF.draw writes here, q … Q, its state its own
        if transparency:  # an opacity set, at its default: the PDF version renderPDF asks for
            canvas._doc.ensureMinPdfVersion("transparency")
    canvas.restoreState()


# The PDF operators renderPDF writes for a shared drawing (svg_drawing), by the drawing's id, with
# the drawing itself (an id is only unique while its object lives).
_OPERATORS: dict[int, tuple[Drawing, tuple[list[str], bool] | None]] = {}


def _operators(drawing: Drawing) -> tuple[list[str], bool] | None:
    """What renderPDF writes for `drawing` at the origin, and whether it asked its document for
    transparency (an opacity set, if only to its default): drawn once per process on a throwaway
    canvas. A deck's editions (home, fold, shop) and its check draw each pictogram again, walking
    its hundreds of shapes in Python each time; renderPDF sets every part of the graphics state it
    uses from its defaults, inside q … Q, so its operators draw the same on any page whose opacity
    and overprint are at their defaults (draw_svg checks). None when they name a resource of their
    document (a font for a text, an opacity other than full), which only renderPDF can add to the
    page's document: such a drawing is drawn by renderPDF every time."""
    held = _OPERATORS.get(id(drawing))
    if held is not None and held[0] is drawing:
        return held[1]
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    scratch = Canvas(io.BytesIO())
    start, version = len(scratch._code), scratch._doc._pdfVersion
    renderPDF.draw(drawing, scratch, 0, 0)
    operators = list(scratch._code[start:])
    drawn = None if any("/" in operator for operator in operators) else (
        operators, scratch._doc._pdfVersion != version)
    _OPERATORS[id(drawing)] = (drawing, drawn)
    return drawn


# --------------------------------------------------------------------------- pictograms kept

PICTOGRAM_SUBDIR = "pictograms"
PICTOGRAM_VERSION = 1
# An SVG naming another file (<use href="other.svg#…">): what it draws depends on that file too,
# so it is not kept across processes.
_FILE_REFERENCE = re.compile(rb"""href\s*=\s*["']\s*[^#"'\s]""")


@dataclass(frozen=True)
class Pictogram:
    """An SVG pictogram ready to draw: its size and what renderPDF writes for it (`_operators`), the
    drawing itself parsed again only where renderPDF must draw it (draw_svg)."""

    source: Path
    greyscale: bool
    root: Path | None
    width: float
    height: float
    drawn: tuple[list[str], bool] | None

    def drawing(self) -> Drawing:
        return svg_drawing(self.source, greyscale=self.greyscale, root=self.root)


_PICTOGRAMS: dict[tuple[str, int, bool], Pictogram] = {}


def pictogram(source: Path, greyscale: bool = False, root: Path | None = None,
              cache_dir: Path | None = None) -> Pictogram:
    """The pictogram of an SVG file, once per process, and kept under `cache_dir/pictograms` by the
    file's bytes, svglib's and reportlab's versions: parsing a pictogram with svglib and walking
    its shapes with renderPDF costs about ten milliseconds, which every render process paid again
    for every pictogram of its decks and posters (the default kit's 48: half a second each)."""
    key = (str(source.resolve()), source.stat().st_mtime_ns, greyscale)
    held = _PICTOGRAMS.get(key)
    if held is not None:
        return held
    data = source.read_bytes()
    kept = None
    if cache_dir is not None and _FILE_REFERENCE.search(data) is None:
        import reportlab
        import svglib

        versions = f"{PICTOGRAM_VERSION}\0{svglib.__version__}\0{reportlab.Version}\0{greyscale}\0".encode()
        kept = cache_dir / PICTOGRAM_SUBDIR / f"{hashlib.sha256(versions + data).hexdigest()[:32]}.json"
        try:
            entry = json.loads(kept.read_text(encoding="utf-8"))
            drawn = entry["drawn"]
            held = Pictogram(source, greyscale, root, entry["width"], entry["height"],
                             None if drawn is None else (list(drawn[0]), bool(drawn[1])))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            held = None
    if held is None:
        drawing = svg_drawing(source, greyscale=greyscale, root=root)
        drawn = _operators(drawing)
        held = Pictogram(source, greyscale, root, drawing.width, drawing.height, drawn)
        if kept is not None:
            from kit.writer import write_atomic

            entry = {"width": drawing.width, "height": drawing.height,
                     "drawn": None if drawn is None else [drawn[0], drawn[1]]}
            try:
                kept.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(kept, json.dumps(entry).encode("utf-8"), durable=False)  # a cache: JSON or unused
            except (OSError, TypeError, ValueError):  # a folder kit cannot write to: drawn again next time
                pass
    _PICTOGRAMS[key] = held
    return held
