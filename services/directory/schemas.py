"""Everything the directory takes in, parsed here and only here."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from contracts import areas, principles
from contracts.events.directory import CATEGORIES, EVENT_KINDS, EVENT_LANGUAGES
from contracts.events.membership import KINDS
from contracts.fields import PrincipalArea, Text
from services.directory import sharing, vocabulary
from services.directory.searchdoc import query_words

AREA_ORDER = [area.code for area in areas.all_areas()]
LONDON = ZoneInfo("Europe/London")


class Tag(Text):
    """A tag: a term of the vocabulary (by code or either label) or free text."""

    def __init__(self, **kwargs):
        super().__init__(multiline=False, validate=validate.Length(1, 60), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not query_words(text):
            raise ValidationError("A tag needs at least one letter or digit.")
        return text


def tag_list(**kwargs) -> fields.List:
    return fields.List(Tag(), validate=validate.Length(max=20), **kwargs)


class Paging(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class _Filters(Paging):
    q = Text(load_default="", multiline=False, validate=validate.Length(max=200))
    area = PrincipalArea(load_default=None)
    tag = Tag(load_default=None)

    @post_load
    def _tag_key(self, data, **kwargs) -> dict:
        if data.get("tag"):
            data["tag"] = vocabulary.key(vocabulary.normalise([data["tag"]])[0])
        return data


class SearchSchema(_Filters):
    """Searching listings. Example: `{"q": "hwyluso", "area": "Caerdydd",
    "kind": "organisation", "tag": "youth-work", "page": 1, "per_page": 20}`;
    near a point: `{"lat": 51.48, "lon": -3.18, "within_km": 10}`."""

    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))
    within_km = fields.Float(load_default=25.0, validate=validate.Range(0.1, 500))
    facets = fields.Boolean(load_default=True)

    @validates_schema(pass_original=True)
    def _both_or_neither(self, data, original, **kwargs) -> None:
        has_lat, has_lon = data.get("lat") is not None, data.get("lon") is not None
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            raise ValidationError("Give both lat and lon, or neither.", missing)
        if "within_km" in original and not has_lat:
            raise ValidationError("within_km needs lat and lon.", "within_km")


class PostSearchSchema(_Filters):
    """Searching open offers and requests: `{"q": "gardd", "kind": "offer",
    "category": "time", "area": "W06000011", "tag": "food"}`."""

    kind = fields.String(
        load_default=None, validate=validate.OneOf(["offer", "request"])
    )
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORIES))


class PlaceSchema(Schema):
    """A place in or near Wales, with its coordinates (WGS 84)."""

    name = Text(load_default=None, multiline=False, validate=validate.Length(max=200))
    latitude = fields.Float(required=True, validate=validate.Range(51.0, 53.8))
    longitude = fields.Float(required=True, validate=validate.Range(-5.9, -2.0))


class ListingEditSchema(Schema):
    """What an owner may change on their listing; only the fields given change.
    `skills`, `interests` or `areas` set to null go back to the profile's.
    Example: `{"description": "Rydym yn hwyluso gweithdai.", "assets":
    ["Lle i gyfarfod", "minibus"], "areas": ["Abertawe", "W06000012"],
    "place": {"name": "Treforys", "latitude": 51.66, "longitude": -3.92}}`."""

    organisation = Text(
        allow_none=True, multiline=False, validate=validate.Length(max=200)
    )
    description = Text(allow_none=True, validate=validate.Length(max=2000))
    skills = tag_list(allow_none=True)
    interests = tag_list(allow_none=True)
    assets = tag_list()
    areas = fields.List(
        PrincipalArea(), allow_none=True, validate=validate.Length(1, 22)
    )
    all_wales = fields.Boolean()
    place = fields.Nested(PlaceSchema, allow_none=True)

    @post_load
    def _normalise(self, data, **kwargs) -> dict:
        for name in ("skills", "interests", "assets"):
            if data.get(name) is not None:
                data[name] = vocabulary.normalise(data[name])
        if data.get("areas"):
            data["areas"] = sorted(set(data["areas"]), key=AREA_ORDER.index)
        return data


class PostSchema(Schema):
    """An offer or a request. Example: `{"kind": "offer", "category": "time",
    "title": "Dwy awr o help gyda'r ardd", "description": "...",
    "area": "Abertawe", "tags": ["food"], "ends_on": "2027-03-31"}`; no area means
    anywhere in Wales."""

    kind = fields.String(required=True, validate=validate.OneOf(["offer", "request"]))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    title = Text(required=True, multiline=False, validate=validate.Length(3, 200))
    description = Text(load_default="", validate=validate.Length(max=2000))
    area = PrincipalArea(load_default=None, allow_none=True)
    tags = fields.List(Tag(), load_default=list, validate=validate.Length(max=10))
    ends_on = fields.Date(required=True)

    @validates_schema
    def _ends_in_the_coming_year(self, data, **kwargs) -> None:
        ends_on, today = data.get("ends_on"), sharing.today()
        if ends_on and not today <= ends_on <= today + timedelta(days=366):
            raise ValidationError(
                "Give an end date from today to a year ahead.", "ends_on"
            )


class RespondSchema(Schema):
    """A response to a post: `{"message": "Gallaf helpu ddydd Sadwrn."}`."""

    message = Text(required=True, validate=validate.Length(1, 2000))


class AgreeExchangeSchema(Schema):
    """Agreeing an exchange; for time, the hours given: `{"hours": 2.5}`."""

    hours = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(0.25, 1000)
    )


class HsdsPageSchema(Schema):
    """Paging as Open Referral UK names it: `page` from 1, `per_page`."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    search = Text(load_default="", multiline=False, validate=validate.Length(max=200))
    taxonomy_term_id = fields.String(
        load_default=None, validate=validate.Length(max=80)
    )


class MapSchema(Schema):
    """The language of the map's labels; null for both, Welsh first."""

    lang = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(["cy", "en"])
    )


class LondonDateTime(fields.DateTime):
    """A moment as ISO 8601: with an offset as given, or without one as the time
    by the clock in Wales (Europe/London). A time the clocks skip in March is
    refused; a time shown twice in October is its first showing. Loads in UTC."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LONDON)
            there_and_back = moment.astimezone(UTC).astimezone(LONDON)
            if there_and_back.replace(tzinfo=None) != moment.replace(tzinfo=None):
                raise ValidationError(
                    "That time does not exist in Wales: the clocks go forward then."
                )
        return moment.astimezone(UTC)


def _event_text(longest: int, **kwargs) -> Text:
    return Text(allow_none=True, validate=validate.Length(max=longest), **kwargs)


class EventSchema(Schema):
    """An event or training session a member proposes (a coordinator approves it
    before it is public). Times without an offset are the clock in Wales.
    Example: `{"title_cy": "Gweithdy cyd-gynhyrchu", "title_en": "Co-production
    workshop", "kind": "training", "starts_at": "2027-03-28T10:00",
    "ends_at": "2027-03-28T12:30", "area": "Abertawe", "place_name": "Canolfan
    Treforys", "places": 20, "language": "both", "audience": "Anyone new to
    co-production", "accessibility": "Step-free; hearing loop",
    "principles": ["strengths"]}`; online: `"online": true, "online_link":
    "https://..."` instead of a place."""

    title_cy = Text(allow_none=True, multiline=False, validate=validate.Length(3, 200))
    title_en = Text(allow_none=True, multiline=False, validate=validate.Length(3, 200))
    description_cy = _event_text(4000)
    description_en = _event_text(4000)
    organiser_id = fields.UUID(allow_none=True)
    kind = fields.String(validate=validate.OneOf(EVENT_KINDS))
    starts_at = LondonDateTime()
    ends_at = LondonDateTime()
    area = PrincipalArea(allow_none=True)
    place_name = Text(
        allow_none=True, multiline=False, validate=validate.Length(max=200)
    )
    online = fields.Boolean()
    online_link = fields.Url(
        allow_none=True, schemes={"https"}, validate=validate.Length(max=500)
    )
    places = fields.Integer(validate=validate.Range(1, 10_000))
    audience = _event_text(1000)
    accessibility = _event_text(1000)
    language = fields.String(validate=validate.OneOf(EVENT_LANGUAGES))
    principles = fields.List(
        fields.String(validate=validate.OneOf(principles.current().ids)),
        validate=validate.Length(max=10),
    )

    @post_load
    def _as_given(self, data, **kwargs) -> dict:
        if "organiser_id" in data and data["organiser_id"] is not None:
            data["organiser_id"] = str(data["organiser_id"])
        return data


REQUIRED_TO_PROPOSE = ("kind", "starts_at", "ends_at", "places", "language")


class EventSearchSchema(Paging):
    """What's on: `{"q": "gweithdy", "from": "2027-03-01", "to": "2027-03-31",
    "kind": "training", "area": "Abertawe", "language": "cy"}`; from today when
    `from` is absent."""

    q = Text(load_default="", multiline=False, validate=validate.Length(max=200))
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(EVENT_KINDS))
    area = PrincipalArea(load_default=None)
    language = fields.String(load_default=None, validate=validate.OneOf(["cy", "en"]))


class AttendanceSchema(Schema):
    """The organiser marks whether someone with a place came:
    `{"member_id": "...", "attended": true}`."""

    member_id = fields.UUID(required=True)
    attended = fields.Boolean(required=True)


class ReasonSchema(Schema):
    """Why an event was cancelled or not approved: `{"reason": "..."}`."""

    reason = Text(load_default="", validate=validate.Length(max=500))


class FeedSchema(Schema):
    """A calendar feed of every public event, or of one principal area's."""

    area = PrincipalArea(load_default=None, allow_none=True)
