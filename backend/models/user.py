from flask_login import UserMixin
from sqlalchemy import false, or_, select

from ..domain import roles as role_names
from ..extensions import db
from .user_role import UserRole
from .user_unit import UserUnit


class User(UserMixin, db.Model):
    """A staff member or a relative."""
    __tablename__ = "user"
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    full_name = db.Column(db.String(200), nullable=False)
    #: Her main role: a relative's is "relative"; a member of staff's decides the screen she starts on. She may hold
    #: more roles (`extra_roles`); what she may do is the union of them all (`roles`).
    role = db.Column(db.String(20), nullable=False)
    #: Her post («должность», a code of domain/posts.py): what she is employed as; her roles follow from it when it is
    #: chosen (and stay editable). None for a relative, and for staff whose post is not yet chosen.
    post = db.Column(db.String(40))
    home_id = db.Column(db.Integer, db.ForeignKey("home.id"), nullable=False, index=True)
    locale = db.Column(db.String(16))
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: A one-time password set by an administrator: nothing but choosing her own password until she does.
    must_change_password = db.Column(db.Boolean, nullable=False, default=False, server_default=false())
    password_changed_at = db.Column(db.DateTime)
    #: Signing keys issued before this moment are retired (a PIN reset, a disabled account): a tablet that
    #: learns it at its next pull forgets her PIN (she signs in with her password there again).
    keys_valid_from = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime)
    #: Position in the change feed; bumped when what tablets hold of her changes (name, active, keys).
    seq = db.Column(db.BigInteger, nullable=False, default=0, server_default="0", index=True)
    home = db.relationship("Home")
    extra_roles = db.relationship("UserRole", lazy="selectin", cascade="all, delete-orphan")
    #: The units she works in; none means the whole home.
    units = db.relationship("Unit", secondary="user_unit", lazy="selectin", order_by="Unit.id")

    @property
    def roles(self):
        """Every role she holds, her main one first, the others in the order of roles.STAFF."""
        extra = {r.role for r in self.extra_roles}
        return (self.role,) + tuple(r for r in role_names.STAFF if r in extra and r != self.role)

    def set_roles(self, names):
        """Her roles, the main one first (callers check them: roles.STAFF, no repeats)."""
        self.role = names[0]
        kept = {r.role: r for r in self.extra_roles}
        self.extra_roles = [kept.get(name) or UserRole(role=name) for name in names[1:]]

    def has_role(self, *names):
        return any(r in names for r in self.roles)

    @property
    def unit_ids(self):
        """Her units' ids, in order; empty: the whole home."""
        return [u.id for u in self.units]

    @classmethod
    def holding(cls, *names):
        """SQL: she holds one of these roles, as her main role or another."""
        return or_(cls.role.in_(names), cls.id.in_(select(UserRole.user_id).where(UserRole.role.in_(names))))

    @classmethod
    def working_in(cls, unit_id):
        """SQL: she works in this unit (it is one of hers, or she works across the whole home)."""
        mine = select(UserUnit.user_id)
        return or_(cls.id.in_(mine.where(UserUnit.unit_id == unit_id)), cls.id.not_in(mine))

    @property
    def is_active(self):
        return self.active
