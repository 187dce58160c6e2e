"""Record real traffic, replay it against the emulator and measure parity (docs/parity.md).

- ``exchange``: one recorded request and answer, its file format and how a folder of them is read;
- ``bodies``: a request's or answer's body described for the file, and built again for a replay;
- ``redaction``: secrets (and, when asked, phone numbers) replaced by stable placeholders;
- ``proxy``: the recording proxy (``telephony-emulator record``);
- ``rules``: the editable rules file (volatile fields, documented strings);
- ``matcher``: one recorded answer against a live one, difference by difference;
- ``replay``: a recording sent again to an emulator (``telephony-emulator parity``);
- ``report``: the summary table, the JSON report and the HTML page;
- ``playback``: recorded answers served in front of the emulator (``serve --playback``);
- ``command``: the two subcommands.
"""
