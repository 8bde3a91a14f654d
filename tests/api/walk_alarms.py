"""The permission walk's calls for the home devices and alarms routes (backend/api/alarms.py). `w` is the care
home's world: the register reaches its residents; the alarms named do not exist there (404)."""


def calls(w):
    return {
        "alarms.devices": ("GET", f"/api/homecare/people/{w.r1}/devices", None),
        "alarms.register_device": ("POST", f"/api/homecare/people/{w.r1}/devices", {"kind": "sos", "label": "walk"}),
        "alarms.retire_device": ("POST", "/api/homecare/devices/999999/retire", {}),
        # public: only a device's token opens it (tests/api/test_alarms.py); a body of the wrong shape is answered
        # 400 before the token is looked at, for everyone alike
        "alarms.intake": ("POST", "/api/alarms", {"kind": 5}),
        "alarms.log": ("GET", "/api/alarms", None),
        "alarms.add_step": ("POST", "/api/alarms/999999/steps", {"step": "acknowledged"}),
        "alarms.close": ("POST", "/api/alarms/999999/close", {"outcome": "walk", "false_alarm": True}),
    }
