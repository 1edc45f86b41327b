import pytest

from phobs_channel_manager.phobs_api.errors import PhobsProtocolError
from phobs_channel_manager.phobs_api.xml import OTA_NS, child, children, descendants, parse_xml, text_of

GOOD = f'<?xml version="1.0" encoding="UTF-8"?><A xmlns="{OTA_NS}"><B>x</B></A>'.encode()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://evil.test/r.dtd"><r/>"""


@pytest.mark.parametrize(
    "data, problem",
    [
        (BILLION_LAUGHS, "DOCTYPE"),
        (XXE, "DOCTYPE"),
        (EXTERNAL_DTD, "DOCTYPE"),
        (b"<r>&undefined;</r>", "malformed"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\xe9</r>', "ISO-8859-1"),
        (b"<r>caf\xe9</r>", "not valid UTF-8"),
        ("<r/>".encode("utf-16"), "UTF-16"),
        (b"<r><unclosed></r>", "malformed"),
        (b"", "malformed"),
        (b"not xml at all", "malformed"),
    ],
)
def test_unsafe_or_broken_input_is_refused_with_the_reason(data, problem):
    with pytest.raises(PhobsProtocolError, match=problem):
        parse_xml(data)


def test_size_cap_is_checked_before_parsing():
    with pytest.raises(PhobsProtocolError, match="exceeds the 2097152 byte cap"):
        parse_xml(b"<r>" + b"x" * (2 * 1024 * 1024) + b"</r>")
    with pytest.raises(PhobsProtocolError, match="exceeds the 10 byte cap"):
        parse_xml(GOOD, max_bytes=10)


@pytest.mark.parametrize(
    "data",
    [GOOD, b"\xef\xbb\xbf" + GOOD, b"<?xml version='1.0' encoding='utf8'?><r/>",
     "<r>Šibenik</r>".encode()],
)
def test_utf8_documents_parse(data):
    assert parse_xml(data) is not None


def test_str_input_is_a_programming_error():
    with pytest.raises(TypeError):
        parse_xml("<r/>")


def test_readers_match_local_names_in_any_namespace():
    root = parse_xml(b'<r xmlns:o="urn:other"><o:a><b> 1 </b><b>2</b></o:a><a><b>3</b></a></r>')
    assert [text_of(b) for b in descendants(root, "a/b")] == ["1", "2", "3"]
    assert text_of(child(root, "a/b")) == "1"
    assert child(root, "a/missing") is None
    assert list(children(None, "a")) == []
    assert text_of(parse_xml(b"<r>  </r>")) is None
