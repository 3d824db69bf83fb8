"""The XML parts of an Office file that name people, rewritten without the names.

Comments and tracked changes carry their author and initials (Word's ``w:author``,
``w:initials``), Excel's notes an ``<author>`` list (and the author's name at the head of
each note), threaded comments point at ``xl/persons``, PowerPoint's comments at
``commentAuthors.xml``/``authors.xml``; accounts appear as ``userId``/``providerId``.
Attributes are blanked in place by pattern, tag by tag, so a part of any size is rewritten
without building a tree; relationship and content-type lists are small and parsed with a
parser that resolves no entity and fetches nothing.
"""
from __future__ import annotations

import posixpath
import re

from lxml import etree

# Attributes that hold a person's name or account in any part they appear in.
PERSONAL_ATTRIBUTES = ("author", "initials", "userId", "providerId", "userName", "displayName")
# Parts where ``name`` (or ``url``) is a person's name (or a path with the user's folder).
EXTRA_ATTRIBUTES = {"ppt/commentAuthors.xml": ("name",), "ppt/authors.xml": ("name",),
                    "xl/workbook.xml": ("url",)}
EXTRA_PREFIXES = {"xl/revisions/userNames": ("name",)}
# Parts that may name people; everything else is copied as it is.
PERSONAL_PARTS = re.compile(
    r"^(word/.*\.xml|xl/comments[^/]*\.xml|xl/comments/.*|xl/threadedComments/.*|xl/persons/.*"
    r"|xl/revisions/.*|xl/workbook\.xml|ppt/commentAuthors\.xml|ppt/authors\.xml"
    r"|ppt/comments/.*)$")
# Parts dropped whole (with their relationships and content types).
DROPPED_PARTS = re.compile(r"^(docProps/thumbnail\.[^/]*|word/people\.xml|customXml/.*)$")

# A start tag; attribute values never hold "<" (XML forbids it), so a scan ends at the next
# tag and the whole part is read in linear time, whatever it holds.
_TAG = re.compile(rb"<[A-Za-z_][^\s/<>]*(?:\s+[^\s=/<>]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*/?>")
_AUTHOR_ELEMENT = re.compile(
    rb"(<(?:[\w.-]+:)?author(?:\s[^>]*)?>)([^<]*)(</(?:[\w.-]+:)?author>)")
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                            huge_tree=False, remove_comments=True)
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def is_personal_part(name: str) -> bool:
    return bool(PERSONAL_PARTS.match(name))


def is_dropped(name: str) -> bool:
    return bool(DROPPED_PARTS.match(name))


def without_people(name: str, xml: bytes) -> bytes:
    """The part with every personal attribute emptied (and Excel's note authors)."""
    names = PERSONAL_ATTRIBUTES + EXTRA_ATTRIBUTES.get(name, ())
    for prefix, extra in EXTRA_PREFIXES.items():
        if name.startswith(prefix):
            names += extra
    attribute = re.compile(
        rb"(\s(?:[\w.-]+:)?(?:" + b"|".join(n.encode() for n in names) +
        rb")\s*=\s*)(\"[^\"]*\"|'[^']*')")
    xml = _blank_in_tags(xml, attribute)
    if name.startswith("xl/comments"):
        xml = _without_note_authors(xml)
    return xml


def _blank_in_tags(xml: bytes, attribute: re.Pattern) -> bytes:
    """Each match of ``attribute`` that is inside a start tag, emptied; the same words in
    the text are left alone. Only the tags around a match are parsed."""
    pieces, done = [], 0
    for found in attribute.finditer(xml):
        if found.start() < done:
            continue                        # inside a tag already rewritten
        opening = xml.rfind(b"<", done, found.start())
        tag = _TAG.match(xml, opening) if opening >= 0 else None
        if tag is None or tag.end() < found.end():
            continue                        # text that only looks like an attribute
        pieces += [xml[done:opening], attribute.sub(rb'\1""', tag.group(0))]
        done = tag.end()
    pieces.append(xml[done:])
    return b"".join(pieces)


def _without_note_authors(xml: bytes) -> bytes:
    """Excel lists note authors and writes "Name:" at the head of each note's text."""
    authors = {m.group(2) for m in _AUTHOR_ELEMENT.finditer(xml) if m.group(2).strip()}
    xml = _AUTHOR_ELEMENT.sub(rb"\1\3", xml)
    for author in sorted(authors, key=len, reverse=True):
        xml = xml.replace(b">" + author + b":", b">")
    return xml


def relationships_without(rels_name: str, xml: bytes, dropped: set[str]) -> bytes:
    """A ``_rels/*.rels`` part without links to dropped parts; links to files on the
    sender's disk (a template, a linked picture) keep the file name, not the folders
    (``C:\\Users\\<name>\\...``)."""
    root = etree.fromstring(xml, _SAFE_XML)
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    for rel in list(root.iter(f"{{{RELS_NS}}}Relationship")):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            if _is_local_path(target):
                rel.set("Target", re.split(r"[\\/]", target)[-1])
            continue
        resolved = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        if resolved in dropped:
            rel.getparent().remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def content_types_without(xml: bytes, dropped: set[str]) -> bytes:
    root = etree.fromstring(xml, _SAFE_XML)
    for override in list(root.iter(f"{{{TYPES_NS}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            override.getparent().remove(override)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def svg_without_metadata(svg: bytes) -> bytes:
    """An SVG picture: its ``<metadata>`` (creator, rights...) and comments removed."""
    root = etree.fromstring(svg, _SAFE_XML)
    for element in list(root.iter("{*}metadata", "metadata")):
        element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _is_local_path(target: str) -> bool:
    lowered = target.lower()
    return lowered.startswith("file:") or re.match(r"^[a-z]:[\\/]", lowered) is not None \
        or target.startswith("\\\\") or target.startswith("/")
