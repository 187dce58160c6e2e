"""File methods of the seed: CheckIfFileExists and RenderYMGRFile (json, csv or html).

A ``.ymgr`` file holds one record per line, fields separated by ``%`` and each field written
``key#value``. Column names are translated by ``key=name`` lines of ``.ini`` files, layered as
documented (later layers override earlier ones): ``YMGRLangs/<LANG>/<name>.ini``,
``YMGRLangs/<name>.ini``, ``<folder>/<LANG>/<name>.ini``, ``<folder>/<name>.ini``.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from emulator.yemot import ivrtree
from emulator.yemot.context import YemotCall
from emulator.yemot.errors import NotYmgrFile
from emulator.yemot.paths import display_path

YALOGS_VERSION = "1.0"
YMGR_SUFFIX = ".ymgr"
DEFAULT_LANGUAGE = "HE"


def check_if_file_exists(call: YemotCall) -> dict[str, Any]:
    """CheckIfFileExists: ``fileExists`` and the path in ``ivr/...`` form."""
    path = ivrtree.canonical(call.params["path"])
    return {"fileExists": ivrtree.exists(call.require_system(), path), "path": display_path(path)}


def parse_ymgr(text: str) -> list[dict[str, str]]:
    """Records of a ``.ymgr`` text: ``key#value%key#value`` per line (a field without ``#`` is skipped)."""
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        record: dict[str, str] = {}
        for field in line.split("%"):
            key, sep, value = field.partition("#")
            if sep:
                record[key.strip()] = value
        records.append(record)
    return records


def _ini(text: str) -> dict[str, str]:
    pairs = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            pairs[key.strip()] = value.strip()
    return pairs


def translations(call: YemotCall, path: str, language: str) -> dict[str, str]:
    """Column names from every translation layer that exists, later layers winning."""
    system = call.require_system()
    folder, name = ivrtree.split(path)
    stem = name[: -len(YMGR_SUFFIX)]
    merged: dict[str, str] = {}
    for layer in (
        f"YMGRLangs/{language}/{stem}.ini",
        f"YMGRLangs/{stem}.ini",
        ivrtree.join(folder, f"{language}/{stem}.ini"),
        ivrtree.join(folder, f"{stem}.ini"),
    ):
        if ivrtree.exists(system, layer):
            merged.update(_ini(ivrtree.read_text(system, layer)))
    return merged


def render_ymgr_file(call: YemotCall) -> dict[str, Any] | bytes:
    """RenderYMGRFile: records as JSON ``data``, or the csv/html file as bytes."""
    path = ivrtree.canonical(call.params["wath"], "wath")
    if not path.endswith(YMGR_SUFFIX):
        raise NotYmgrFile()
    records = parse_ymgr(ivrtree.read_text(call.require_system(), path))
    if not call.params.get("notLoadLang"):
        names = translations(call, path, call.params.get("renderLanguage") or DEFAULT_LANGUAGE)
        records = [{names.get(key, key): value for key, value in record.items()} for record in records]
    kind = call.params.get("convertType", "json")
    if kind == "json":
        return {"yALogsVersion": YALOGS_VERSION, "data": records}
    columns = list(dict.fromkeys(key for record in records for key in record))
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([record.get(column, "") for column in columns] for record in records)
        return out.getvalue().encode("utf-8")
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(record.get(column, ''))}</td>" for column in columns) + "</tr>"
        for record in records
    )
    page = (
        '<!DOCTYPE html><html dir="rtl"><head><meta charset="utf-8"></head>'
        f"<body><table><tr>{head}</tr>{rows}</table></body></html>"
    )
    return page.encode("utf-8")
