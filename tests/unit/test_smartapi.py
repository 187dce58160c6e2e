"""The SmartAPI command parser: the wiki's and the PHP client's forms, and what is an error (exit ``e``)."""

from __future__ import annotations

import pytest

from emulator.simotel.dialplan.smartapi import CommandError, parse


def _pairs(text):
    return [(command.name, command.args) for command in parse(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')",
         [("PlayAnnouncement", ("welcome-file",)), ("GetData", ("enter-data-file", 10, 1)), ("Exit", ("go-s2",))]),
        ("Exit('go-b');", [("Exit", ("go-b",))]),
        ("PlayAnnouncement ('filename-nasim'); SayNumber(5201); ", [("PlayAnnouncement", ("filename-nasim",)),
                                                                     ("SayNumber", (5201,))]),
        ("MusicOnHold(\u2018default\u2019, 60);;SayClock(14:00)", [("MusicOnHold", ("default", 60)),
                                                                   ("SayClock", ("14:00",))]),
        ("SayClock('12:14:09');SayDuration('6.16:0:51');SayDate('1395-02-21','jalali')",
         [("SayClock", ("12:14:09",)), ("SayDuration", ("6.16:0:51",)), ("SayDate", ("1395-02-21", "jalali"))]),
        ("PlayAnnouncement('id:5be6a5f294c28e3f068b4575');Playback('hello-world')",
         [("PlayAnnouncement", ("id:5be6a5f294c28e3f068b4575",)), ("Playback", ("hello-world",))]),
        ("ClearUserData();SetExten('200');SetLimitOnCall(150);SayDigit(1239)",
         [("ClearUserData", ()), ("SetExten", ("200",)), ("SetLimitOnCall", (150,)), ("SayDigit", (1239,))]),
        ("PlayAnnouncement('a;b')", [("PlayAnnouncement", ("a;b",))]),
        ("", []),
    ],
)  # fmt: skip
def test_accepted_forms(text, expected):
    assert _pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dance(3)",
        "SayNumber('12')",
        "GetData('a&b', 5)",
        "PlayAnnouncement(welcome)",
        "PlayAnnouncement('unterminated)",
        "SayDate('1395-02-21','persian')",
        "SayClock('noon')",
        "Exit",
        "SetLimitOnCall(-5)",
    ],
)
def test_errors(text):
    with pytest.raises(CommandError):
        parse(text)


def test_not_a_string_and_too_many_commands_are_errors():
    with pytest.raises(CommandError):
        parse(5)  # type: ignore[arg-type]
    with pytest.raises(CommandError):
        parse("ClearUserData();" * 101)
