"""Telephony audio: decoding uploads and building the telephony WAV files calls are heard in."""
