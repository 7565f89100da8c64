"""CRM files in, plans out: pure adapters from Salesforce and HubSpot exports to the map.

:func:`read_export` turns the files (name and text) into a :class:`CrmBatch` of normalised
records, problems and the review list; ``graph_api.repositories.crm`` merges a batch into
Neo4j; ``graph_api.crm.out`` renders coaching plans as files a CRM or a planner takes.
Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from graph_api.crm import hubspot, salesforce
from graph_api.crm.mapping import apply_mapping, default_mapping
from graph_api.crm.records import CrmBatch, CrmSource

EXPORT_FILES: dict[CrmSource, tuple[str, ...]] = {
    CrmSource.SALESFORCE: salesforce.FILES,
    CrmSource.HUBSPOT: hubspot.FILES,
}


def read_export(
    source: CrmSource,
    files: Mapping[str, str],
    mapping: Any,
    today: date,
    mapping_root: str = "$",
) -> CrmBatch:
    """The batch of one export: ``files`` maps each file's name to its text, ``mapping`` is a
    parsed mapping file (or None for the defaults), ``today`` decides which end dates are past.

    Raises:
        InvalidInput: the mapping is not valid (every problem by JSON path from
        ``mapping_root``).
        CrmFilesRefused: a file cannot be read as the export (every problem by file, line and
        column); a run refused so writes nothing.
    """
    chosen = apply_mapping(default_mapping(source), mapping, mapping_root)
    if source is CrmSource.SALESFORCE:
        return salesforce.read_salesforce(files, chosen, today)
    return hubspot.read_hubspot(files, chosen, today)
