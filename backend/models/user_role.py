from ..extensions import db


class UserRole(db.Model):
    """A role a member of staff holds besides her main one (`user.role`): a social-rehabilitation specialist who
    plans and also does the daily control of the cards (regulation 004 §3.1-3.2) is a planner who is also a
    supervisor. Her main role decides the screen she starts on; what she may do is the union of her roles."""
    __tablename__ = "user_role"
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), primary_key=True)
    role = db.Column(db.String(20), primary_key=True)
