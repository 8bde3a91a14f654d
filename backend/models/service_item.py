from ..extensions import db


class ServiceItem(db.Model):
    """A service of a community home's catalogue (like the activity catalogue): what, in which of the guideline's
    categories and items, how long, for what price. Seeded from domain/service_catalogue.py; the home edits it.

    Names are the home's own words in each language: {"ru": ..., "zh_Hans": ..., "en": ...}.
    """
    __tablename__ = "service_item"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    names = db.Column(db.JSON, nullable=False)
    #: One of the 8 categories of 003 §4.2 (domain/service_catalogue.py CATEGORY_CODES).
    category = db.Column(db.String(30), nullable=False)
    #: The guideline's item or help it is (service_catalogue.ITEM_CODES), or the home's own code.
    item = db.Column(db.String(40), nullable=False)
    #: The time it takes by the home's standard; None for a service that is not a timed visit (a meal in the
    #: canteen, a month of a platform's service). A visit's planned minutes are its items' sum.
    standard_minutes = db.Column(db.Integer)
    #: The price per unit, in the home's currency; 0 until the home sets it.
    price = db.Column(db.Numeric(10, 2), nullable=False, default=0)
    #: What the price is for: visit | hour | meal | day | month (domain/homecare_codes.py SERVICE_UNITS).
    unit = db.Column(db.String(10), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: Position in the change feed (carers' phones pull the catalogue).
    seq = db.Column(db.BigInteger, nullable=False, default=0, index=True)
