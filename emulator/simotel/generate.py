"""Faker-generated report history (fixture ``simotel.generate``): Persian names, fixed seed.

Calls are spread over the 30 days before the fixture's anchor. Each call yields a CDR; an
incoming call may pass through a queue (queue report + queue leg) and answer a poll; agents get
login intervals; voicemail boxes get inbox messages. Every collection is filled in time order.
"""

from __future__ import annotations

from typing import Any

from faker import Faker

from emulator.simotel import records
from emulator.simotel.records import CallFacts
from emulator.simotel.state import SimotelState

WINDOW_S = 30 * 86_400.0
QUEUES = ("500", "501")
AGENTS = tuple(str(number) for number in range(101, 109))
POLL_LABELS = ("satisfaction", "quality")
TRUNKS = ("NasimTrunk", "Cisco")


def history(state: SimotelState, spec: dict[str, Any], faker: Faker, anchor: float) -> None:
    """Append the records ``spec`` asks for (``cdr``, ``agent``, ``voicemail_inbox`` counts)."""
    users = {str(user.get("number")): str(user.get("name", "")) for user in state.collections.get("users", [])}
    agent_names = {agent: users.get(agent) or faker.name() for agent in AGENTS}
    calls = sorted((_call(faker, anchor, index) for index in range(spec.get("cdr", 0))), key=lambda f: f.start)
    for facts in calls:
        records.append(state, "cdr", records.cdr(facts))
    queued = [facts for facts in calls if facts.kind == "incoming" and int(facts.uniqueid.split(".")[1]) % 2 == 0]
    for facts in queued:
        qnum = QUEUES[int(facts.start) % len(QUEUES)]
        agent = AGENTS[int(facts.start) % len(AGENTS)]
        queue_id = f"{facts.uniqueid}-{qnum}"
        extra = {"qnum": qnum, "queue_id": queue_id, "agent": agent, "agent_name": agent_names[agent]}
        records.append(state, "queue_stat", records.queue_stat(facts, **extra))
        records.append(state, "queue_report", records.queue_leg(facts, **extra))
    for facts in queued:
        if facts.disposition == "ANSWERED" and faker.boolean(chance_of_getting_true=50):
            point = faker.pyint(min_value=1, max_value=5)
            records.append(
                state,
                "poll",
                records.poll(
                    facts,
                    point=point,
                    label=faker.random_element(POLL_LABELS),
                    qnum=QUEUES[int(facts.start) % len(QUEUES)],
                ),
            )
    sessions = []
    for _ in range(spec.get("agent", 0)):
        start = anchor - faker.pyfloat(min_value=3_600, max_value=WINDOW_S)
        end = start + faker.pyint(min_value=600, max_value=8 * 3_600)
        sessions.append((end, faker.random_element(AGENTS), faker.random_element(QUEUES), start))
    for end, exten, qnum, start in sorted(sessions):
        records.append(
            state, "agent", records.agent_session(exten=exten, qnum=qnum, start=round(start), end=round(end))
        )
    messages = sorted(
        anchor - faker.pyfloat(min_value=0, max_value=WINDOW_S) for _ in range(spec.get("voicemail_inbox", 0))
    )
    for at in messages:
        number = faker.random_element(AGENTS)
        saved = faker.boolean(chance_of_getting_true=90)
        uniqueid = f"{int(at)}.{faker.pyint(min_value=1000, max_value=99999)}"
        records.append(
            state,
            "voicemail_inbox",
            records.inbox_message(
                number=number,
                caller_id=faker.numerify("09#########"),
                box_id=f"{int(number):024x}",
                at=round(at),
                duration=faker.pyint(min_value=3, max_value=90) if saved else 0,
                filename=f"msg_{number}_{uniqueid}.wav" if saved else "",
            ),
        )


def _call(faker: Faker, anchor: float, index: int) -> CallFacts:
    start = round(anchor - faker.pyfloat(min_value=60, max_value=WINDOW_S))
    kind = faker.random_element(("incoming", "incoming", "incoming", "outgoing", "outgoing", "local"))
    disposition = faker.random_element(("ANSWERED", "ANSWERED", "ANSWERED", "NO ANSWER", "BUSY", "FAILED"))
    answered = disposition == "ANSWERED"
    external = faker.numerify("09#########")
    extension = faker.random_element(AGENTS)
    src, dst = {
        "incoming": (external, faker.numerify("0215###0000")[:11]),
        "outgoing": (extension, external),
        "local": (extension, faker.random_element([agent for agent in AGENTS if agent != extension])),
    }[kind]
    return CallFacts(
        kind=kind,
        src=src,
        dst=dst,
        start=start,
        wait=faker.pyint(min_value=1, max_value=25) if disposition != "FAILED" else 0,
        billsec=faker.pyint(min_value=5, max_value=600) if answered else 0,
        disposition=disposition,
        uniqueid=f"{start}.{1000 + index}",
        src_name=faker.name(),
        point={"incoming": "main", "outgoing": faker.random_element(TRUNKS), "local": ""}[kind],
        recorded=answered and faker.boolean(chance_of_getting_true=70),
    )
