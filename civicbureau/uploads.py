"""Uploaded files screened before anything parses them: a file over the size limit, and an xlsx (a zip of
XML) that would unpack to too much or whose XML has a DTD (entity expansion, external entities), are
refused with a message saying why. openpyxl parses sheets with defusedxml as a second line."""

import io
import re
import zipfile

from django.utils.translation import gettext as _

from civicbureau.entry import Problem

# An xlsx is a zip of XML: a hostile one is small on the wire and huge (or endless) once unpacked. These
# are checked on the zip's directory before openpyxl opens it; the template is a few kB in ~10 entries.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class FileError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class HostileFile(FileError):
    """A file refused before parsing because it could exhaust the server (size, entries, unpacked size)
    or reach outside it (a DTD: entity expansion, external entities). Logged as a security event."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(Problem("1행", "code", message))


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise HostileFile(
            "file_too_large", _("파일이 너무 큽니다 (최대 %(max)sMB).") % {"max": MAX_FILE_BYTES // 2**20}
        )


def _xml_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The start of an XML entry (where a DTD would be), as ASCII-compatible bytes."""
    with archive.open(info) as entry:
        head = entry.read(4096)
    if (
        head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]
    ):  # UTF-16 hides "<!DOCTYPE" from a byte search
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return head[: len(head) // 2 * 2].decode(encoding).encode("utf-8", "replace")
            except UnicodeDecodeError:
                continue
    return head


def check_zip(content: bytes) -> None:
    """Refuse an xlsx that would blow up when unpacked or parsed, using only the zip's directory and the
    first bytes of each XML entry; raises HostileFile. zipfile never reads an entry past the size its
    directory states, so the stated sizes bound what openpyxl can unpack."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileError(Problem("1행", "code", _("xlsx 파일로 읽을 수 없습니다."))) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise HostileFile(
                "too_many_entries",
                _("xlsx 파일 안의 항목이 너무 많습니다 (%(n)s개, 최대 %(max)s개).")
                % {"n": len(entries), "max": MAX_ZIP_ENTRIES},
            )
        unpacked = sum(info.file_size for info in entries)
        if unpacked > MAX_UNPACKED_BYTES:
            raise HostileFile(
                "unpacked_too_large",
                _("xlsx 파일을 풀면 너무 큽니다 (%(size)sMB, 최대 %(max)sMB).")
                % {"size": unpacked // 2**20, "max": MAX_UNPACKED_BYTES // 2**20},
            )
        for info in entries:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                try:
                    prolog = _xml_prolog(archive, info)
                except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError):
                    raise FileError(Problem("1행", "code", _("xlsx 파일로 읽을 수 없습니다."))) from None
                if _DTD.search(prolog):
                    raise HostileFile(
                        "xml_dtd",
                        _("xlsx 파일에 DTD(엔터티 선언)가 있어 받지 않습니다: %(entry)s")
                        % {"entry": info.filename[:80]},
                    )
