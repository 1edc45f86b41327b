"""A local stand-in for the Phobs channel manager, speaking the wire contract of docs/protocol.md.

It is an independent peer of the addon: it shares no code with ``phobs_channel_manager``, so a
misreading of the protocol on one side shows up as a failing exchange instead of being hidden by a
shared helper.
"""
__version__ = "1.0.0"
