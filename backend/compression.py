"""gzip for JSON responses: a duty post's pull compresses about 12x (docs/benchmarks.md)."""
import gzip

from flask import request

#: Smaller bodies are not worth the CPU.
MIN_BYTES = 1024


def register(app):
    @app.after_request
    def compress(response):
        if (response.direct_passthrough or response.status_code < 200 or response.status_code >= 300
                or "Content-Encoding" in response.headers or response.mimetype != "application/json"
                or "gzip" not in request.headers.get("Accept-Encoding", "")):
            return response
        body = response.get_data()
        if len(body) < MIN_BYTES:
            return response
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        response.headers.add("Vary", "Accept-Encoding")
        return response
