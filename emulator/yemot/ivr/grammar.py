"""The reply grammar of the API module: ``id_list_message=t-hi&read=t-code=val,no,4,4,7,No``.

``parse_reply`` turns the plain-text body into actions, in order, and lists every piece it could
not understand with the exact offending text. It never raises on hostile input: a reply is
bounded in size and in the number of actions, and whatever does not parse becomes a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.yemot.ivr.messages import Part, parse_message
from emulator.yemot.ivr.reads import Read, ReadError, parse_read_fields

MAX_REPLY_BYTES = 64 * 1024
MAX_ACTIONS = 50
# Actions after which the exchange with the web service is over: anything later in the same
# reply is not executed (it is reported, so a developer sees it).
TERMINAL = ("read", "go_to_folder", "go_to_folder_and_play", "routing_yemot", "routing", "credit_card")
ROUTING_FIELDS = (
    "phones",
    "start",
    "",
    "multiple",
    "numbers",
    "your_id",
    "record",
    "",
    "end_time",
    "end_goto",
    "music_on_hold",
    "answer_play",
    "answer_tfr",
    "answer_tfr_hangup_goto",
    "email",
    "email_name",
)


@dataclass
class Action:
    """One directive of a reply; only the fields its ``name`` uses are set."""

    name: str
    raw: str
    parts: list[Part] = field(default_factory=list)
    read: Read | None = None
    path: str | None = None
    args: dict[str, str] = field(default_factory=dict)

    @property
    def terminal(self) -> bool:
        return self.name in TERMINAL or (self.name == "go_to_folder" and self.path == "hangup")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.name}
        if self.parts:
            out["parts"] = [part.to_json() for part in self.parts]
        if self.read is not None:
            out["read"] = self.read.to_json()
        if self.path is not None:
            out["path"] = self.path
        if self.args:
            out["args"] = dict(self.args)
        return out


@dataclass
class Problem:
    """Something in a reply the platform could not act on, with the exact offending text."""

    text: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "message": self.message}


@dataclass
class ParsedReply:
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> list[dict[str, Any]]:
        return [action.to_json() for action in self.actions]


def parse_reply(text: str) -> ParsedReply:
    """Every action of a reply, in order, and every problem (see the module docstring)."""
    reply = ParsedReply()
    body = text.strip()
    if len(body.encode("utf-8")) > MAX_REPLY_BYTES:
        reply.problems.append(Problem(body[:200], f"reply longer than {MAX_REPLY_BYTES} bytes"))
        return reply
    pieces = [piece for piece in body.split("&") if piece.strip()]
    if len(pieces) > MAX_ACTIONS:
        reply.problems.append(Problem(body[:200], f"more than {MAX_ACTIONS} actions in one reply"))
        return reply
    for piece in pieces:
        try:
            action = parse_action(piece.strip(), reply.problems)
        except ValueError as exc:
            reply.problems.append(Problem(piece, str(exc)))
            continue
        reply.actions.append(action)
    return reply


def _message(text: str, problems: list[Problem]) -> list[Part]:
    parts, errors = parse_message(text)
    problems.extend(Problem(error.text, error.message) for error in errors)
    return parts


def parse_action(piece: str, problems: list[Problem]) -> Action:
    """One ``name=value`` directive; ValueError when it cannot run at all."""
    if piece == "noop":
        return Action("noop", piece)
    name, eq, value = piece.partition("=")
    if not eq:
        raise ValueError(f"not a directive: {piece!r}")
    if name == "id_list_message":
        if value == "noop":
            return Action("noop", piece)
        return Action(name, piece, parts=_message(value, problems))
    if name == "read":
        message, sep, fields = value.rpartition("=")
        if not sep:
            raise ValueError("read needs a message and its fields: read=<message>=<fields>")
        try:
            read = parse_read_fields(fields)
        except ReadError as exc:
            raise ValueError(str(exc)) from exc
        return Action(name, piece, parts=_message(message, problems), read=read)
    if name == "go_to_folder":
        if not value.strip():
            raise ValueError("go_to_folder needs a path")
        return Action(name, piece, path=value.strip())
    if name == "go_to_folder_and_play":
        return _folder_and_play(piece, value)
    if name == "routing_yemot":
        if not value.strip().isdigit():
            raise ValueError(f"routing_yemot needs a system number, not {value!r}")
        return Action(name, piece, args={"system": value.strip()})
    if name == "routing":
        values = value.split(",")
        if not values[0].strip():
            raise ValueError("routing needs at least one phone number")
        args = {key: item for key, item in zip(ROUTING_FIELDS, values, strict=False) if key and item}
        return Action(name, piece, args=args)
    if name == "music_on_hold":
        music_class, _, seconds = value.partition(",")
        if seconds and not seconds.strip().isdigit():
            raise ValueError(f"music_on_hold seconds must be a whole number, not {seconds!r}")
        args = {"class": music_class.strip()} | ({"seconds": seconds.strip()} if seconds else {})
        return Action(name, piece, args=args)
    if name == "credit_card":
        provider = value.split(",")[0].strip()
        return Action(name, piece, args={"provider": provider})
    raise ValueError(f"unknown directive {name!r}")


def _folder_and_play(piece: str, value: str) -> Action:
    folder, _, rest = value.partition(",")
    file_name, _, offset = rest.partition(",")
    if not folder.strip():
        raise ValueError("go_to_folder_and_play needs a folder")
    if offset and not offset.strip().isdigit():
        raise ValueError(f"go_to_folder_and_play offset must be milliseconds, not {offset!r}")
    args = {"file": file_name.strip(), "offset_ms": offset.strip() or "0"}
    return Action("go_to_folder_and_play", piece, path=folder.strip(), args=args)
