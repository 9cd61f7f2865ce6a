"""The search schema names the field that is wrong when a point is half given."""

import pytest
from marshmallow import ValidationError

from services.directory.schemas import SearchSchema


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": 51.5}, "lon"),
        ({"lon": -3.2}, "lat"),
        ({"within_km": 5}, "within_km"),
    ],
)
def test_a_point_half_given_is_refused_under_the_field_that_is_wrong(query, field):
    with pytest.raises(ValidationError) as refused:
        SearchSchema().load(query)

    assert list(refused.value.messages) == [field]


def test_a_whole_point_with_a_distance_is_taken():
    loaded = SearchSchema().load({"lat": 51.5, "lon": -3.2, "within_km": 5})

    assert (loaded["lat"], loaded["lon"], loaded["within_km"]) == (51.5, -3.2, 5.0)
