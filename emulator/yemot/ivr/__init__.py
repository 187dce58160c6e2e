"""Simulated callers walking a system's IVR: the extension tree, the API module and its web service."""
