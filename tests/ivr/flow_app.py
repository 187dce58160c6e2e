"""A small IVR web service written with yemot-flow, as its README wires it (Flask): a menu read, a
4-digit read, a spoken message and a hang-up. ``seen`` keeps every request's fields."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from yemot_flow import Call, Flow


def make_app() -> tuple[Flask, list[dict[str, Any]]]:
    flow = Flow(timeout=30_000)
    seen: list[dict[str, Any]] = []

    @flow.get("5")
    async def identify(call: Call) -> None:
        choice = await call.read(
            [("text", "לזיהוי הקישו 1 לסיום הקישו 2")], val_name="choice", max_digits=1, digits_allowed="12"
        )
        if choice == "2":
            call.hangup()
        prompt = [("text", "הקש מספר זהות בן ארבע ספרות")]
        user_id = await call.read(prompt, val_name="userId", max_digits=4, min_digits=4)
        call.play_message([("text", "שלום"), ("digits", user_id)])

    app = Flask("ivr-yemot-flow")

    @app.route("/yemot", methods=["GET", "POST"])
    def yemot() -> Response:
        fields = request.values.to_dict()
        seen.append({"method": request.method, "fields": fields})
        return Response(flow.handle_request(fields), mimetype="text/plain; charset=utf-8")

    return app, seen
