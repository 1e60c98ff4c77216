"""Thrift's compact protocol, read and written generically: what a Parquet footer is made of.

A Parquet footer (``FileMetaData``) is a Thrift struct in the compact protocol. To rewrite a few of
its numbers (:mod:`framing.parquet_file` shifts the file offsets of a row group) the struct is
decoded without its IDL: a struct becomes ``{field id: (type, value)}`` in the order its fields
came, and encoding that again gives the same bytes, whatever fields a later Parquet version adds.

Values by type (the type codes are the compact protocol's own):

* :data:`BOOL`: ``bool`` (a field of type :data:`BOOL_FALSE` is read as ``(BOOL, False)``);
* :data:`BYTE`: ``int`` from -128 to 127; :data:`I16`, :data:`I32`, :data:`I64`: ``int`` (zigzag
  varints); :data:`DOUBLE`: ``float`` (8 bytes, little-endian);
* :data:`BINARY`: ``bytes`` (strings too: the protocol does not tell them apart);
* :data:`LIST`, :data:`SET`: ``(element type, [values])``;
* :data:`MAP`: ``(key type, value type, [(key, value), ...])``;
* :data:`STRUCT`: ``{field id: (type, value)}``.
"""

from __future__ import annotations

import struct

STOP, BOOL, BOOL_FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(13)
_INTS = (I16, I32, I64)
_DOUBLE = struct.Struct("<d")
#: How deep structs and collections may nest: a corrupt footer raises, it does not exhaust the stack.
MAX_DEPTH = 64


class ThriftError(ValueError):
    """Bytes that are not a struct in Thrift's compact protocol (truncated, or an unknown type)."""


# ---------------------------------------------------------------------------------------- reading

def decode_struct(data, pos: int = 0) -> tuple[dict, int]:
    """Read the struct that starts at ``data[pos]``.

    Parameters
    ----------
    data : bytes-like
        Compact-protocol bytes.
    pos : int
        Where the struct starts.

    Returns
    -------
    fields : dict
        ``{field id: (type, value)}``, in the order the fields came.
    end : int
        The position just after the struct's stop byte.

    Raises
    ------
    ThriftError
        If the bytes end before the struct does, or hold a type the protocol does not have.
    """
    data = memoryview(data).cast("B") if not isinstance(data, bytes) else data
    try:
        return _struct(data, pos, 0)
    except IndexError:
        raise ThriftError(f"compact-protocol struct at byte {pos}: the bytes end before it does") from None


def _varint(data, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift >= 70:  # an i64 needs at most 10 bytes
            raise ThriftError(f"varint longer than 10 bytes before byte {pos}")


def _zigzag(data, pos: int) -> tuple[int, int]:
    raw, pos = _varint(data, pos)
    return (raw >> 1) ^ -(raw & 1), pos


def _struct(data, pos: int, depth: int) -> tuple[dict, int]:
    if depth > MAX_DEPTH:
        raise ThriftError(f"structs nested more than {MAX_DEPTH} deep at byte {pos}")
    fields: dict = {}
    last = 0
    while True:
        head = data[pos]
        pos += 1
        kind = head & 0x0F
        if kind == STOP:
            return fields, pos
        delta = head >> 4
        if delta:
            fid = last + delta
        else:  # the long form: the field id follows as a zigzag i16
            fid, pos = _zigzag(data, pos)
        if kind in (BOOL, BOOL_FALSE):  # a bool field has its value in its type
            fields[fid] = (BOOL, kind == BOOL)
        else:
            value, pos = _value(data, pos, kind, depth)
            fields[fid] = (kind, value)
        last = fid


def _value(data, pos: int, kind: int, depth: int):
    if kind in _INTS:
        return _zigzag(data, pos)
    if kind == BINARY:
        size, pos = _varint(data, pos)
        if pos + size > len(data):
            raise IndexError
        return bytes(data[pos:pos + size]), pos + size
    if kind == STRUCT:
        return _struct(data, pos, depth + 1)
    if kind in (LIST, SET):
        head = data[pos]
        pos += 1
        element, size = head & 0x0F, head >> 4
        if size == 15:  # the long form: the size follows as a varint
            size, pos = _varint(data, pos)
        values = []
        for _ in range(size):
            value, pos = _element(data, pos, element, depth)
            values.append(value)
        return (element, values), pos
    if kind == MAP:
        size, pos = _varint(data, pos)
        if not size:  # an empty map has no byte of key and value types
            return (0, 0, []), pos
        head = data[pos]
        pos += 1
        key_kind, value_kind = head >> 4, head & 0x0F
        pairs = []
        for _ in range(size):
            key, pos = _element(data, pos, key_kind, depth)
            value, pos = _element(data, pos, value_kind, depth)
            pairs.append((key, value))
        return (key_kind, value_kind, pairs), pos
    if kind == BYTE:
        byte = data[pos]
        return byte - 256 if byte > 127 else byte, pos + 1
    if kind == DOUBLE:
        if pos + 8 > len(data):
            raise IndexError
        return _DOUBLE.unpack_from(data, pos)[0], pos + 8
    raise ThriftError(f"unknown compact-protocol type {kind} before byte {pos}")


def _element(data, pos: int, kind: int, depth: int):
    """One value of a list, set or map, whose type its header gave."""
    if kind in (BOOL, BOOL_FALSE):  # in a collection a bool is a byte of its own: 1 is true
        return data[pos] == BOOL, pos + 1
    return _value(data, pos, kind, depth + 1)


# ---------------------------------------------------------------------------------------- writing

def encode_struct(fields: dict) -> bytes:
    """The compact-protocol bytes of a struct given as :func:`decode_struct` reads it.

    Parameters
    ----------
    fields : dict
        ``{field id: (type, value)}``; the fields are written in the dict's order (Thrift writers
        give them in increasing id order, and the short field header needs it).

    Returns
    -------
    bytes

    Raises
    ------
    ThriftError
        If a type is not one of the protocol's, or a field id is not an i16.
    """
    out = bytearray()
    write_struct(out, fields)
    return bytes(out)


def write_struct(out: bytearray, fields: dict) -> None:
    """Append the struct ``fields`` (as :func:`encode_struct` takes it) to ``out``."""
    last = 0
    for fid, (kind, value) in fields.items():
        write_field(out, fid, kind, value, last)
        last = fid
    out.append(STOP)


def write_field(out: bytearray, fid: int, kind: int, value, last: int) -> None:
    """Append field ``fid`` of a struct, ``last`` the id of the field before it (0 for the first)."""
    if kind == BOOL:  # a bool field has its value in its type
        write_field_header(out, fid, BOOL if value else BOOL_FALSE, last)
    else:
        write_field_header(out, fid, kind, last)
        _write_value(out, kind, value)


def write_field_header(out: bytearray, fid: int, kind: int, last: int) -> None:
    """Append the header of field ``fid`` of type ``kind`` (for a bool field, :data:`BOOL` or
    :data:`BOOL_FALSE` as its value), ``last`` the id of the field before it in the struct (0 for
    the first): the short form, a delta of 1 to 15 in the type's byte, when it can."""
    if not -(2**15) <= fid < 2**15:
        raise ThriftError(f"field id {fid} is not an i16")
    if 0 < fid - last <= 15:
        out.append((fid - last) << 4 | kind)
    else:
        out.append(kind)
        _write_varint(out, _zig(fid))


def write_list_header(out: bytearray, element: int, size: int) -> None:
    """Append the header of a list (or set) of ``size`` values of type ``element``."""
    if size < 15:
        out.append(size << 4 | element)
    else:
        out.append(0xF0 | element)
        _write_varint(out, size)


def write_i64(out: bytearray, value: int) -> None:
    """Append the value of an i64 (or i32, i16) field: a zigzag varint."""
    if not -(2**63) <= value < 2**63:
        raise ThriftError(f"{value} does not fit in an i64")
    _write_varint(out, _zig(value))


def _zig(value: int) -> int:
    return (value << 1) ^ (value >> 63) if value < 0 else value << 1


def _write_varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def _write_value(out: bytearray, kind: int, value) -> None:
    if kind in _INTS:
        write_i64(out, value)
    elif kind == BINARY:
        _write_varint(out, len(value))
        out += value
    elif kind == STRUCT:
        write_struct(out, value)
    elif kind in (LIST, SET):
        element, values = value
        write_list_header(out, element, len(values))
        for item in values:
            _write_element(out, element, item)
    elif kind == MAP:
        key_kind, value_kind, pairs = value
        _write_varint(out, len(pairs))
        if pairs:
            out.append(key_kind << 4 | value_kind)
            for key, item in pairs:
                _write_element(out, key_kind, key)
                _write_element(out, value_kind, item)
    elif kind == BYTE:
        out.append(value & 0xFF)
    elif kind == DOUBLE:
        out += _DOUBLE.pack(value)
    else:
        raise ThriftError(f"unknown compact-protocol type {kind}")


def _write_element(out: bytearray, kind: int, value) -> None:
    if kind in (BOOL, BOOL_FALSE):
        out.append(BOOL if value else BOOL_FALSE)
    else:
        _write_value(out, kind, value)
