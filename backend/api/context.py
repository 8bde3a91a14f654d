"""The request's clock, address and device, read here so services receive them as arguments."""
from flask import current_app, request


def now():
    return current_app.config["CLOCK"]()


def address():
    return request.remote_addr or "unknown"


def device_id():
    return request.headers.get("X-Device-Id") or None


def vitals_definition():
    return current_app.extensions["bedside.vitals"]
