"""Distances on the map: great-circle metres, a box around a point, and whether a point is
inside the campaign's area."""

from __future__ import annotations

import math
from typing import Protocol

EARTH_RADIUS_METRES = 6_371_008.8  # the mean radius


def haversine_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two WGS84 points, in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """South, north, west, east of a box that holds every point within ``metres``."""
    dlat = math.degrees(metres / EARTH_RADIUS_METRES)
    # Widest at the box's edge nearest the pole; never divide by ~0 near a pole.
    cos_lat = max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 1e-6)
    dlon = dlat / cos_lat
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


class Area(Protocol):
    @property
    def south(self) -> float: ...
    @property
    def north(self) -> float: ...
    @property
    def west(self) -> float: ...
    @property
    def east(self) -> float: ...
    @property
    def centre(self) -> tuple[float, float] | None: ...
    @property
    def radius_metres(self) -> float | None: ...


def inside(area: Area, latitude: float, longitude: float) -> bool:
    """The point is in the box and, for a centre-and-radius area, within the radius."""
    if not (area.south <= latitude <= area.north and area.west <= longitude <= area.east):
        return False
    if area.centre is None or area.radius_metres is None:
        return True
    return haversine_metres(*area.centre, latitude, longitude) <= area.radius_metres
