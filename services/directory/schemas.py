from marshmallow import Schema, fields, validate

from contracts import areas
from contracts.fields import Text


class SearchSchema(Schema):
    q = Text(load_default="", multiline=False, validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ListingSchema(Schema):
    member_id = fields.String()
    kind = fields.String()
    name = fields.String()
    area = fields.String()
    area_name_en = fields.Function(lambda listing: areas.by_code(listing.area).name_en)
    area_name_cy = fields.Function(lambda listing: areas.by_code(listing.area).name_cy)
    listed_at = fields.AwareDateTime()


class SearchResultSchema(Schema):
    items = fields.List(fields.Nested(ListingSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
