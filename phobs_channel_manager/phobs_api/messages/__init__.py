"""One module per OTA message pair: pure ``build_*`` and ``parse_*`` functions.

Builders produce OTA 2016B-valid elements; parsers take an element or the received SOAP
bytes, raise the typed error for an RS carrying ``Errors`` and read leniently otherwise.
"""
