"""Tell an edited copy of a photo from a second photo of the same spot, by aligning them.

A copy (re-encoded, resized, brightened, cropped) is one picture under a similarity transform
(scale, shift) plus tone and compression noise. A second photo of one scene is not: the camera
moved (perspective, parallax) or the world changed. So ``compare`` matches ORB keypoints, fits a
similarity with RANSAC, refines it on the small grey pictures themselves, warps the new one onto
the earlier one, and measures what is left of the fine detail and whether every part lines up.
The thresholds come from ``python -m bench.photos``.

Pure, synchronous and CPU-bound, like ``bot.media.photo_check``: run it off the event loop.
"""

from __future__ import annotations

import enum
import math
import struct
import threading
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageFilter

__all__ = [
    "COPY_MAX_DIFFERENCE",
    "COPY_MAX_SHIFT",
    "FEATURE_SIDE",
    "LOOKALIKE_MAX_DIFFERENCE",
    "MAX_KEYPOINTS",
    "MIN_INLIERS",
    "PICTURE_SIDE",
    "Alignment",
    "Match",
    "compare",
    "features_of",
]

# Two threads decode photos at once (photo_check.DECODE_SLOTS); OpenCV's own thread pool on top
# of them would only fight over the same two cores.
cv2.setNumThreads(1)

# Keypoints are found on the picture reduced to this long side: enough detail to align a copy
# to a fraction of a pixel, and ~5 ms of ORB.
FEATURE_SIDE = 512
# The strongest keypoints kept per photo: 36 bytes each (position and 256-bit descriptor).
MAX_KEYPOINTS = 200
# The small grey picture compared after alignment, long side in pixels (at most 128x128 bytes).
PICTURE_SIDE = 128
# A similarity fit needs this many matched keypoints that agree within RANSAC_PIXELS (at
# FEATURE_SIDE) before the pictures are compared at all. Few: smooth scenes have few repeatable
# keypoints, and the comparison after alignment, not the count, tells a copy from a chance fit.
MIN_INLIERS = 12
RANSAC_PIXELS = 3.0
# The worst cell's fine-detail difference after alignment (see _difference). At most
# SURE_COPY_DIFFERENCE the pair is a copy, refused outright. Up to COPY_MAX_DIFFERENCE it is a
# copy if the fit holds everywhere: each of 4x4 blocks within COPY_MAX_SHIFT small pixels of
# lining up, where a second shot's perspective leaves some block further off. Up to
# LOOKALIKE_MAX_DIFFERENCE it is flagged for the leaders; beyond, the camera moved or the scene
# changed. Chosen on 690 pairs drawn as in `python -m bench.photos` (section c), other seeds:
# after the refinement, crops and resizes stay within 0.22, most with every block within 0.3
# (photos of fine texture, HMD_Nokia, do not: they are flagged); the closest honest pairs come
# to 0.11, a block 0.37 off, a sharp view from 2% aside, turned 2%, to 0.11 with 0.37, and
# another person's view of that sharp scene to 0.20 with 0.27 (hence 0.18).
SURE_COPY_DIFFERENCE = 0.08
COPY_MAX_DIFFERENCE = 0.18
# The block test needs keypoints enough to trust the fit: a smooth scene seen from a step aside
# lines up as well as a crop of it (13 keypoints, every block within 0.23).
BLOCK_TEST_MIN_INLIERS = 24
COPY_MAX_SHIFT = 0.30
LOOKALIKE_MAX_DIFFERENCE = 0.80
# A copy keeps most of the picture: a crop of up to 10% on every side keeps 64% of the area,
# about 47% of the small picture once the blur's margin is left out (see _warped). An overlap
# smaller than this is not judged a copy, however well it fits.
MIN_OVERLAP = 0.40
_CELLS = 8
DETAIL_SIGMAS = (1.0, 3.0)
BROAD_SIGMAS = (1.5, 4.0)
_BLOCKS = 4
_CLIPPED = 230
_NEAR = np.ones((13, 13), np.uint8)  # as far as the fine-detail blur reaches
# A block's shift is measured where the new picture covers at least _BLOCK_MIN_COVER of it and
# its texture runs both ways (the weaker direction's mean squared slope, grey levels per small
# pixel, at least _BLOCK_MIN_TEXTURE); the verdict needs _MIN_BLOCKS such blocks.
_BLOCK_MIN_COVER = 0.5
_BLOCK_MIN_TEXTURE = 0.05
_MIN_BLOCKS = 6
# Gauss-Newton steps refining the fit on the pictures (see _refined); it stops earlier once a
# step moves the picture by less than _REFINE_DONE small pixels.
_REFINE_STEPS = 10
_REFINE_DONE = 0.005
_REFINE_MARGIN = np.ones((9, 9), np.uint8)

_VERSION = 1
_HEADER = struct.Struct("<BHHBBH")  # version, feature w/h, picture w/h, keypoint count
_POINT = struct.Struct("<HH")  # x, y in 1/64 pixel at FEATURE_SIDE
_FIXED = 64
_DESCRIPTOR = 32
# One detector and matcher per thread: photos are checked on several threads at once, and an
# OpenCV algorithm object is not promised to be safe to share between them.
_TOOLS = threading.local()
# RANSAC draws random samples: the same pair must get the same verdict every time it is checked.
_RANSAC_SEED = 19


def _orb() -> cv2.ORB:
    if not hasattr(_TOOLS, "orb"):
        _TOOLS.orb = cv2.ORB.create(nfeatures=2 * MAX_KEYPOINTS, fastThreshold=10)
    orb: cv2.ORB = _TOOLS.orb
    return orb


def _matcher() -> cv2.BFMatcher:
    if not hasattr(_TOOLS, "matcher"):
        _TOOLS.matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    matcher: cv2.BFMatcher = _TOOLS.matcher
    return matcher


_RATIO = 0.85  # Lowe's ratio test: a match must be clearly better than the second best


class Match(enum.Enum):
    DIFFERENT = "different"
    LOOKALIKE = "lookalike"  # one scene, unclear: accepted and flagged for the leaders
    COPY = "copy"  # the same picture, edited: refused


@dataclass(frozen=True)
class Alignment:
    """How a new photo lines up with an earlier one."""

    match: Match
    inliers: int  # keypoints that agree with the similarity fit
    scale: float  # of the fit, new photo to earlier photo (at FEATURE_SIDE each)
    overlap: float  # share of the earlier picture that the new one covers after alignment
    difference: float | None  # worst cell's fine-detail difference; None if not aligned
    shift: float | None = None  # worst block's misalignment after the fit, small pixels


@dataclass(frozen=True)
class _Features:
    size: tuple[int, int]  # of the reduced picture the keypoints were found on
    points: np.ndarray  # (n, 2) float32
    descriptors: np.ndarray  # (n, 32) uint8
    picture: np.ndarray  # (h, w) uint8, long side PICTURE_SIDE


def features_of(image: Image.Image) -> bytes:
    """What ``compare`` needs of one photo, from its decoded, upright picture (any mode or
    size; a reduced one is fine as long as its long side is at least FEATURE_SIDE).

    At most 1 + 10 + 36 * MAX_KEYPOINTS + PICTURE_SIDE**2 bytes (~23 KB).
    """
    gray = image if image.mode == "L" else image.convert("L")
    reduced = _long_side(gray, FEATURE_SIDE)
    pixels = np.asarray(reduced)
    keypoints, descriptors = _orb().detectAndCompute(pixels, None)
    keypoints = keypoints or ()
    order = sorted(range(len(keypoints)), key=lambda i: -keypoints[i].response)[:MAX_KEYPOINTS]
    picture = np.asarray(_smoothly_reduced(reduced, PICTURE_SIDE))
    header = _HEADER.pack(
        _VERSION, reduced.width, reduced.height, picture.shape[1], picture.shape[0], len(order)
    )
    points = b"".join(_POINT.pack(*(round(c * _FIXED) for c in keypoints[i].pt)) for i in order)
    chosen = descriptors[order].tobytes() if order else b""
    return header + points + chosen + picture.tobytes()


def compare(earlier: bytes, new: bytes) -> Alignment:
    """Whether ``new`` is an edited copy of ``earlier``, a second photo of its scene, or not
    related at all. Raises ``ValueError`` for bytes that ``features_of`` did not make."""
    first, second = _parse(earlier), _parse(new)
    fit = _similarity(first, second)
    if fit is None:
        return Alignment(Match.DIFFERENT, 0, 0.0, 0.0, None)
    matrix, inliers = fit
    scale = float(np.hypot(matrix[0, 0], matrix[1, 0]))
    small = _refined(first.picture, second.picture, _on_pictures(first, second, matrix))
    if small is None:
        return Alignment(Match.DIFFERENT, inliers, scale, 0.0, None)
    picture, warped, covered = _warped(first, second, small)
    overlap = float(covered.mean())
    difference = _difference(picture, warped, covered, DETAIL_SIGMAS)
    if difference is None or overlap < MIN_OVERLAP:
        match = Match.LOOKALIKE if inliers >= 2 * MIN_INLIERS else Match.DIFFERENT
        return Alignment(match, inliers, scale, overlap, difference)
    shift = None
    if difference <= SURE_COPY_DIFFERENCE:
        match = Match.COPY
    elif difference <= COPY_MAX_DIFFERENCE and inliers >= BLOCK_TEST_MIN_INLIERS:
        shift = _worst_shift(picture, warped, covered)
        match = Match.COPY if shift is not None and shift <= COPY_MAX_SHIFT else Match.LOOKALIKE
    elif difference <= LOOKALIKE_MAX_DIFFERENCE:
        match = Match.LOOKALIKE
    else:
        match = Match.DIFFERENT
    return Alignment(match, inliers, scale, overlap, difference, shift)


def _long_side(image: Image.Image, side: int) -> Image.Image:
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BOX)


def _smoothly_reduced(image: Image.Image, side: int) -> Image.Image:
    # Blurred to the new pixel size first: a plain box reduction of fine texture (brick, leaves,
    # a sign's letters) leaves moire that depends on where the pixel grid falls, so a crop's
    # small picture would differ from its original's where the two grids fall differently.
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    blurred = image.filter(ImageFilter.GaussianBlur(0.5 / scale))
    return blurred.resize(size, Image.Resampling.BOX)


def _parse(data: bytes) -> _Features:
    if len(data) < _HEADER.size:
        raise ValueError("not the features of a photo")
    version, fw, fh, pw, ph, count = _HEADER.unpack_from(data)
    points_end = _HEADER.size + count * _POINT.size
    descriptors_end = points_end + count * _DESCRIPTOR
    if version != _VERSION or len(data) != descriptors_end + pw * ph:
        raise ValueError("not the features of a photo")
    points = np.frombuffer(data, np.uint16, 2 * count, _HEADER.size).reshape(count, 2)
    descriptors = np.frombuffer(data, np.uint8, count * _DESCRIPTOR, points_end)
    picture = np.frombuffer(data, np.uint8, pw * ph, descriptors_end).reshape(ph, pw)
    return _Features(
        (fw, fh),
        points.astype(np.float32) / _FIXED,
        descriptors.reshape(count, _DESCRIPTOR),
        picture,
    )


def _similarity(first: _Features, second: _Features) -> tuple[np.ndarray, int] | None:
    """The similarity taking the new photo's keypoints onto the earlier one's, and how many
    matched keypoints agree with it; None if too few do."""
    if len(first.points) < MIN_INLIERS or len(second.points) < MIN_INLIERS:
        return None
    pairs = _matcher().knnMatch(second.descriptors, first.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < _RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return None
    source = second.points[[m.queryIdx for m in good]]
    target = first.points[[m.trainIdx for m in good]]
    cv2.setRNGSeed(_RANSAC_SEED)  # this thread's generator: see _RANSAC_SEED
    matrix, mask = cv2.estimateAffinePartial2D(
        source,
        target,
        method=cv2.RANSAC,
        ransacReprojThreshold=RANSAC_PIXELS,
        maxIters=2000,
        confidence=0.995,
        refineIters=10,
    )
    if matrix is None or mask is None:
        return None
    inliers = int(mask.sum())
    return (matrix, inliers) if inliers >= MIN_INLIERS else None


def _on_pictures(first: _Features, second: _Features, matrix: np.ndarray) -> np.ndarray:
    """The fit between keypoints (FEATURE_SIDE pixels) as one between the small pictures: each
    is reduced from its own keypoints' picture by its own factor (pixel centres at +0.5)."""
    small: np.ndarray = (_to_picture(first) @ np.vstack([matrix, [0.0, 0.0, 1.0]]))[
        :2
    ] @ np.linalg.inv(_to_picture(second))
    return small


def _refined(earlier: np.ndarray, new: np.ndarray, small: np.ndarray) -> np.ndarray | None:
    """``small`` (new picture to earlier picture) refined on the pictures themselves.

    Keypoints are found on a coarse grid (a FAST corner at the pyramid level where it was
    found), so the fit from them is off by a fraction of a small pixel, about what a second
    shot's perspective moves: a crop then looks like a second shot. A few Gauss-Newton steps
    over every pixel of the shared part (a similarity and a gain, on the fine-detail band, so
    brightness and contrast play no part) take a copy to where it lines up exactly; a second
    shot stays off, since no similarity takes one perspective to another. None when the fit
    does not leave the pictures overlapping or turns degenerate.
    """
    square = np.vstack([small, [0.0, 0.0, 1.0]])
    if abs(np.linalg.det(square)) < 1e-6:
        return None
    inverse = np.linalg.inv(square)[:2]  # earlier picture to new picture
    target = _band(earlier.astype(np.float32), DETAIL_SIGMAS)
    source = _band(new.astype(np.float32), DETAIL_SIGMAS)
    height, width = target.shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ones = np.ones(source.shape, np.float32)
    for _ in range(_REFINE_STEPS):
        warped = cv2.warpAffine(
            source,
            inverse.astype(np.float32),
            (width, height),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REPLICATE,
        )
        inside = cv2.warpAffine(
            ones,
            inverse.astype(np.float32),
            (width, height),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderValue=0.0,
        )
        mask = cv2.erode((inside > 0.999).astype(np.uint8), _REFINE_MARGIN) > 0
        if mask.sum() < 64:
            return None
        seen, wanted = warped[mask], target[mask]
        gain = float(seen @ wanted) / max(float(seen @ seen), 1e-6)
        # The warped picture's slope, taken back to the new picture's axes (chain rule).
        gx = cv2.Sobel(warped, cv2.CV_32F, 1, 0, ksize=3) / 8
        gy = cv2.Sobel(warped, cv2.CV_32F, 0, 1, ksize=3) / 8
        back = np.linalg.inv(inverse[:, :2]).T
        nx = gain * (back[0, 0] * gx[mask] + back[0, 1] * gy[mask])
        ny = gain * (back[1, 0] * gx[mask] + back[1, 1] * gy[mask])
        x, y = xs[mask], ys[mask]
        slopes = np.stack([nx * x + ny * y, ny * x - nx * y, nx, ny], axis=1)
        residual = gain * seen - wanted
        try:
            step = np.linalg.solve(slopes.T @ slopes, -(slopes.T @ residual))
        except np.linalg.LinAlgError:
            return None
        a, b = inverse[0, 0] + step[0], inverse[1, 0] + step[1]
        inverse = np.array(
            [[a, -b, inverse[0, 2] + step[2]], [b, a, inverse[1, 2] + step[3]]], np.float64
        )
        if abs(step[2]) + abs(step[3]) < _REFINE_DONE:
            break
    square = np.vstack([inverse, [0.0, 0.0, 1.0]])
    if abs(np.linalg.det(square)) < 1e-6:
        return None
    refined: np.ndarray = np.linalg.inv(square)[:2]
    return refined


def _warped(
    first: _Features, second: _Features, small: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The earlier small picture, the new one warped onto it by ``small``, and where the new
    one reaches (where the fine blur reaches no border)."""
    height, width = first.picture.shape
    warped = cv2.warpAffine(
        second.picture.astype(np.float32),
        small,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    inside = cv2.warpAffine(
        np.ones(second.picture.shape, np.float32),
        small,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderValue=0.0,
    )
    # Only pixels whose whole neighbourhood (as far as the blur reaches) lies inside the new
    # picture count.
    reach = 2 * math.ceil(2 * DETAIL_SIGMAS[1]) + 1
    covered = cv2.erode((inside > 0.999).astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
    return first.picture.astype(np.float32), warped, covered


def _band(picture: np.ndarray, sigmas: tuple[float, float]) -> np.ndarray:
    fine = cv2.GaussianBlur(picture, (0, 0), sigmas[0], borderType=cv2.BORDER_REPLICATE)
    broad = cv2.GaussianBlur(picture, (0, 0), sigmas[1], borderType=cv2.BORDER_REPLICATE)
    band: np.ndarray = fine - broad
    return band


def _difference(
    picture: np.ndarray, warped: np.ndarray, covered: np.ndarray, sigmas: tuple[float, float]
) -> float | None:
    """The worst cell's detail difference (in the band ``sigmas``) between the earlier picture
    and the new one warped onto it, over the part both show."""
    # Where either picture is this bright, a brightened copy may have lost its detail to
    # clipping (a small pixel averages many large ones, some of them white): no evidence there.
    bright = cv2.dilate(((picture >= _CLIPPED) | (warped >= _CLIPPED)).astype(np.uint8), _NEAR) > 0
    covered = covered & ~bright
    if covered.sum() < 64:
        return None
    height, width = picture.shape
    earlier = _detail(picture, covered, sigmas)
    later = _detail(warped, covered, sigmas)
    gap = np.abs(earlier - later)
    worst = 0.0
    cell_h, cell_w = height / _CELLS, width / _CELLS
    for row in range(_CELLS):
        for col in range(_CELLS):
            window = (
                slice(round(row * cell_h), round((row + 1) * cell_h)),
                slice(round(col * cell_w), round((col + 1) * cell_w)),
            )
            cell = covered[window]
            # A cell the new picture barely reaches says little either way.
            if cell.mean() >= 0.5:
                worst = max(worst, float(gap[window][cell].mean()))
    return worst


def _worst_shift(picture: np.ndarray, warped: np.ndarray, covered: np.ndarray) -> float | None:
    """How far the worst of 4x4 blocks still is from lining up after the fit, in small pixels;
    None if fewer than four blocks could be measured.

    Each block's shift is one Lucas-Kanade step on the broad detail band (a least-squares fit
    of the shift that best explains the difference from the slopes): sub-pixel, and unlike a
    phase correlation of so small a block it has no window to bias it.
    """
    earlier = _band(picture, BROAD_SIGMAS)
    later = _band(warped, BROAD_SIGMAS)
    gx = cv2.Sobel(later, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(later, cv2.CV_32F, 0, 1, ksize=3) / 8
    height, width = picture.shape
    shifts = []
    for row in range(_BLOCKS):
        for col in range(_BLOCKS):
            window = (
                slice(row * height // _BLOCKS, (row + 1) * height // _BLOCKS),
                slice(col * width // _BLOCKS, (col + 1) * width // _BLOCKS),
            )
            inside = covered[window]
            if inside.mean() < _BLOCK_MIN_COVER:
                continue
            e, l_ = earlier[window][inside], later[window][inside]
            gain = float(l_ @ e) / max(float(l_ @ l_), 1e-6)
            slopes = np.stack([gx[window][inside], gy[window][inside]], axis=1) * gain
            normal = slopes.T @ slopes
            # A block without texture in both directions cannot say where it lies.
            if np.linalg.eigvalsh(normal)[0] < _BLOCK_MIN_TEXTURE * len(e):
                continue
            dx, dy = np.linalg.solve(normal, -(slopes.T @ (gain * l_ - e)))
            shifts.append(math.hypot(float(dx), float(dy)))
    return max(shifts) if len(shifts) >= _MIN_BLOCKS else None


def _to_picture(features: _Features) -> np.ndarray:
    # From keypoint coordinates (pixel centres at integers) to the small picture's.
    height, width = features.picture.shape
    sx, sy = width / features.size[0], height / features.size[1]
    return np.array([[sx, 0.0, sx / 2 - 0.5], [0.0, sy, sy / 2 - 0.5], [0.0, 0.0, 1.0]])


def _detail(picture: np.ndarray, covered: np.ndarray, sigmas: tuple[float, float]) -> np.ndarray:
    # Brightness and contrast changes move the broad tones; the local detail, each pixel less
    # its 3x3 neighbourhood, stays where it is. Scaled to unit spread over the shared part, so a
    # darkened copy's weaker detail compares like for like.
    fine = cv2.GaussianBlur(picture, (0, 0), sigmas[0], borderType=cv2.BORDER_REPLICATE)
    broad = cv2.GaussianBlur(picture, (0, 0), sigmas[1], borderType=cv2.BORDER_REPLICATE)
    detail: np.ndarray = fine - broad
    spread = float(detail[covered].std())
    return detail / spread if spread > 1e-3 else detail
