"""Invitation codes for relatives: issued and withdrawn by staff, redeemed to create a relative's account."""
from flask import Blueprint

bp = Blueprint("invitations", __name__, url_prefix="/api/invitations")
