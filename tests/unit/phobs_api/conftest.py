"""OTA 2016B schemas for the client tests (located by ``harness.ota_schemas``), loaded once
per session; missing schemas fail the run, never skip it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from harness.ota_schemas import ota_xsd_dir
from phobs_channel_manager.phobs_api.xml import local_name, to_bytes

XSD_DIR = ota_xsd_dir()


class OtaSchemas:
    """Loads each message's XSD once per session and validates by root element name."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._cache: dict[str, etree.XMLSchema] = {}

    def assert_valid(self, element: etree._Element) -> None:
        name = local_name(element)
        if name not in self._cache:
            path = self.directory / f"{name}.xsd"
            if not path.is_file():
                pytest.fail(f"no OTA 2016B schema {path}; set PHOBS_OTA_XSD_DIR")
            self._cache[name] = etree.XMLSchema(etree.parse(str(path)))
        document = etree.fromstring(to_bytes(element))
        schema = self._cache[name]
        if not schema.validate(document):
            pytest.fail(f"{name} is not OTA 2016B valid:\n{schema.error_log}\n"
                        f"{to_bytes(element, pretty=True).decode()}")


@pytest.fixture(scope="session")
def ota_schemas() -> OtaSchemas:
    if not XSD_DIR.is_dir():
        pytest.fail(f"OTA 2016B schemas not found at {XSD_DIR}; set PHOBS_OTA_XSD_DIR")
    return OtaSchemas(XSD_DIR)
