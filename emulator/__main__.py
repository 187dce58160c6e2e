"""``python -m emulator`` is the ``telephony-emulator`` command."""

from emulator.cli import main

raise SystemExit(main())
