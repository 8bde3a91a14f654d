from ..extensions import db


class ServiceContract(db.Model):
    """A service agreement (服务协议) between a community home (the provider) and an older person at home: its
    dates, its funding, and the day each of its papers was signed (002 Jing'an's standard forms). Its items
    (contract_item) become care-plan services and so card items, as a residential care plan's do."""
    __tablename__ = "service_contract"
    id = db.Column(db.Integer, primary_key=True)
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    resident_id = db.Column(db.Integer, db.ForeignKey("resident.id"), nullable=False, index=True)
    starts_on = db.Column(db.Date, nullable=False)
    #: None: open-ended.
    ends_on = db.Column(db.Date)
    #: government | ltc_insurance | self_pay | mixed (domain/homecare_codes.py FUNDING)
    funding = db.Column(db.String(16), nullable=False)
    #: The subsidy paid for her each month, in the home's currency; None when there is none.
    monthly_subsidy = db.Column(db.Numeric(10, 2))
    #: The days the papers were signed (None: not yet): letter of intent (服务意向书), assessment form (评估表),
    #: the agreement itself (服务协议), risk notice (风险告知书).
    intent_signed_on = db.Column(db.Date)
    assessment_signed_on = db.Column(db.Date)
    agreement_signed_on = db.Column(db.Date)
    risk_notice_signed_on = db.Column(db.Date)
    created_by = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    items = db.relationship("ContractItem", back_populates="contract", order_by="ContractItem.id")
