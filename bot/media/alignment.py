"""Tell an edited copy of a photo from a second photo of the same spot, by aligning them.

A copy (re-encoded, resized, brightened, cropped) is one picture under a similarity transform
(scale, shift) plus tone and compression noise. A second photo of one scene is not: the camera
moved (perspective, parallax) or the world changed. So ``compare`` matches ORB keypoints, fits a
similarity with RANSAC, warps the new photo's small grey picture onto the earlier one's, and
measures what is left of the fine detail. The thresholds come from ``python -m bench.photos``.

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
from PIL import Image

__all__ = [
    "COPY_MAX_DIFFERENCE",
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
# The worst cell's fine-detail difference after alignment (see _difference): at most
# SURE_COPY_DIFFERENCE is a copy, refused outright; up to COPY_MAX_DIFFERENCE a copy if its
# blocks line up (below); up to LOOKALIKE_MAX_DIFFERENCE it is flagged for the leaders; beyond,
# the camera moved or the scene changed. A sharp real photo (HMD_Nokia) seen from 1-6% aside,
# the phone turned 1-2%, comes as close as 0.13, its blocks 0.63 px or more off.
SURE_COPY_DIFFERENCE = 0.10
COPY_MAX_DIFFERENCE = 0.20
COPY_MAX_BLOCK_SHIFT = 0.6
# The blocks of a smooth picture (few keypoints) line up by chance or not at all (a resized copy
# of one measured 2.7 px): below this many agreeing keypoints, the block test is not asked.
DENSE_FIT_INLIERS = 64
LOOKALIKE_MAX_DIFFERENCE = 0.80
# A crop resamples the picture on another grid, which moves the finest detail; one band coarser
# (BROAD_SIGMAS) a crop stays within COPY_MAX_BROAD_DIFFERENCE of its original, but so does a
# photo from a step aside. What tells them apart is whether the fit holds everywhere: a copy's
# parts all line up (each of 4x4 blocks within COPY_MAX_SHIFT small pixels), a second shot's
# perspective leaves some blocks off. All three must hold for such a pair to be refused (a
# camera turned 1.5% leaves a block 0.48 off; copies stay within 0.4 but for a few that are
# then flagged instead).
CROP_MAX_DIFFERENCE = 0.32
COPY_MAX_BROAD_DIFFERENCE = 0.30
COPY_MAX_SHIFT = 0.4
# A copy keeps most of the picture: a crop of up to 10% on every side keeps 64% of the area.
# An overlap smaller than this is not judged a copy, however well it fits.
MIN_OVERLAP = 0.45
_CELLS = 8
DETAIL_SIGMAS = (1.0, 3.0)
BROAD_SIGMAS = (1.5, 4.0)
_BLOCKS = 4
_BLOCK_MIN_RESPONSE = 0.1  # a phase correlation weaker than this found nothing to line up

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
    picture = np.asarray(_long_side(reduced, PICTURE_SIDE))
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
    picture, warped, covered = _warped(first, second, matrix)
    overlap = float(covered.mean())
    difference = _difference(picture, warped, covered, DETAIL_SIGMAS)
    if difference is None or overlap < MIN_OVERLAP:
        match = Match.LOOKALIKE if inliers >= 2 * MIN_INLIERS else Match.DIFFERENT
        return Alignment(match, inliers, scale, overlap, difference)
    shift = None
    if difference <= SURE_COPY_DIFFERENCE:
        match = Match.COPY
    elif difference <= LOOKALIKE_MAX_DIFFERENCE:
        match = Match.LOOKALIKE
        if difference <= CROP_MAX_DIFFERENCE:
            shift = _worst_shift(picture, warped, covered)
        if difference <= COPY_MAX_DIFFERENCE and (
            inliers < DENSE_FIT_INLIERS or shift is None or shift <= COPY_MAX_BLOCK_SHIFT
        ):
            match = Match.COPY
        # The block test needs keypoints enough to trust the fit it checks.
        elif inliers >= 2 * MIN_INLIERS and shift is not None and shift <= COPY_MAX_SHIFT:
            broad = _difference(picture, warped, covered, BROAD_SIGMAS)
            if broad is not None and broad <= COPY_MAX_BROAD_DIFFERENCE:
                match = Match.COPY
    else:
        match = Match.DIFFERENT
    return Alignment(match, inliers, scale, overlap, difference, shift)


def _long_side(image: Image.Image, side: int) -> Image.Image:
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BOX)


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


def _warped(
    first: _Features, second: _Features, matrix: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The earlier small picture, the new one warped onto it, and where the new one reaches
    (where the fine blur reaches no border)."""
    # The fit maps the new photo's FEATURE_SIDE pixels to the earlier's; each small picture is
    # reduced from those by its own factor (pixel centres at +0.5 in both).
    small = (_to_picture(first) @ np.vstack([matrix, [0.0, 0.0, 1.0]]))[:2] @ np.linalg.inv(
        _to_picture(second)
    )
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


def _difference(
    picture: np.ndarray, warped: np.ndarray, covered: np.ndarray, sigmas: tuple[float, float]
) -> float | None:
    """The worst cell's detail difference (in the band ``sigmas``) between the earlier picture
    and the new one warped onto it, over the part both show."""
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
    """How far the worst of 4x4 blocks still is from lining up after the fit (by phase
    correlation, in small pixels); None if fewer than four blocks could be measured."""
    height, width = picture.shape
    shifts = []
    for row in range(_BLOCKS):
        for col in range(_BLOCKS):
            window = (
                slice(row * height // _BLOCKS, (row + 1) * height // _BLOCKS),
                slice(col * width // _BLOCKS, (col + 1) * width // _BLOCKS),
            )
            if covered[window].mean() < 0.98:
                continue
            earlier, later = picture[window], warped[window]
            earlier = earlier - cv2.GaussianBlur(earlier, (0, 0), BROAD_SIGMAS[1])
            later = later - cv2.GaussianBlur(later, (0, 0), BROAD_SIGMAS[1])
            hann = cv2.createHanningWindow((earlier.shape[1], earlier.shape[0]), cv2.CV_32F)
            (dx, dy), response = cv2.phaseCorrelate(earlier, later, hann)
            if response > _BLOCK_MIN_RESPONSE:
                shifts.append(math.hypot(dx, dy))
    return max(shifts) if len(shifts) >= 4 else None


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
