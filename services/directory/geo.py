"""Distances on the Earth, good to a fraction of a per cent at the scale of Wales.

The haversine formula on a sphere of the mean Earth radius (6371.0088 km, the
IUGG mean radius); the ellipsoid would change distances here by under 0.5%."""

import math

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    latitude: float, longitude: float, km: float
) -> tuple[float, float, float, float]:
    """South, north, west and east edges of a box holding every point within `km`."""
    dlat = km / KM_PER_DEGREE
    widest = min(89.0, abs(latitude) + dlat)
    dlon = km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def within(latitude: float, longitude: float, km: float, places) -> dict:
    """`{key: distance}` of the `(key, latitude, longitude)` places within `km`:
    the haversine formula as above, with the centre's terms worked out once."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    cos_phi, limit = math.cos(phi), km / (2 * EARTH_RADIUS_KM)
    sin, cos, asin, sqrt, rad = math.sin, math.cos, math.asin, math.sqrt, math.radians
    found = {}
    for key, lat, lon in places:
        other = rad(lat)
        a = (
            sin((other - phi) / 2) ** 2
            + cos_phi * cos(other) * sin((rad(lon) - lam) / 2) ** 2
        )
        half = asin(min(1.0, sqrt(a)))
        if half <= limit:
            found[key] = 2 * EARTH_RADIUS_KM * half
    return found
