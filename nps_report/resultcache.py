"""The Results of a build, kept for the next build from the same data (a prose edit).

OUT/.cache/results.json holds, after one header line, what results.json itself leaves
out: the per-patient columns and the patients each count counts. The rest of the
model is read back from OUT/results.json by the same codec that wrote it, after its
SHA-256 is checked against the header. Nothing here runs code when read (this file was a
pickle once, and a pickle in a shared build folder ran whatever it was given). An
entry is used only if it verifies: a file of the current user's that no one else may
change (usercache.trusted_file), its digests, the results key of the data, code and
libraries, and the config study.yaml gives now; otherwise the analysis runs again.

Columns of floats are packed as raw doubles (the stdlib's array module: 100,000
patients cost milliseconds, where JSON text cost half a second), booleans as bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import operator
import sys
import typing
from array import array
from dataclasses import Field, fields, is_dataclass, replace
from itertools import compress, repeat
from pathlib import Path
from typing import Any

from .cache import CACHE_DIR, RESULTS_CACHE, Fingerprint, write_cache_file
from .codec import CodecError
from .config import StudyConfig, load_config
from .errors import StudyError
from .results import Results
from .usercache import trusted_file

FORMAT = 6  # 2 was the pickle; 6 holds the timepoints' arrays
FLAGS = (False, True, None)
FLAG_CODES = {False: 0, True: 1, None: 2}
NoneType = type(None)


def save_results(dest: Path, fp: Fingerprint, config: StudyConfig, results: Results) -> None:
    """Written after dest/results.json, whose digest it records."""
    body = json.dumps({f.name: _pack(getattr(results, f.name)) for f in beside()},
                      allow_nan=False).encode()
    header = {"format": FORMAT, "key": fp.results_key, "config": config_digest(config),
              "byteorder": sys.byteorder, "body": hashlib.sha256(body).hexdigest(),
              "results.json": hashlib.sha256((dest / "results.json").read_bytes()).hexdigest()}
    (dest / CACHE_DIR).mkdir(exist_ok=True)
    write_cache_file(dest / CACHE_DIR / RESULTS_CACHE, json.dumps(header) + "\n"
                     + body.decode())


def load_results(out: Path, fp: Fingerprint,
                 study_path: Path) -> tuple[StudyConfig, Results] | None:
    """The previous build's Results if they verify (see above), else None."""
    path = out / CACHE_DIR / RESULTS_CACHE
    if not trusted_file(path):
        return None
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        header = json.loads(head)
        if header.get("format") != FORMAT or header["key"] != fp.results_key or \
                header["body"] != hashlib.sha256(body).hexdigest():
            return None
        written = (out / "results.json").read_bytes()
        if header["results.json"] != hashlib.sha256(written).hexdigest():
            return None
        config = load_config(study_path)
        if header["config"] != config_digest(config):
            return None
        swap = header["byteorder"] != sys.byteorder
        hints = typing.get_type_hints(Results)
        packed = json.loads(body)
        more = {f.name: _unpack(hints[f.name], packed[f.name], swap) for f in beside()}
        return config, replace(Results.from_dict(json.loads(written)), **more)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, CodecError,
            StudyError):
        return None  # not usable as it is: the analysis runs again


def beside() -> tuple[Field, ...]:
    """The fields of Results that results.json does not hold (json=False)."""
    return tuple(f for f in fields(Results) if not f.metadata.get("json", True))


def config_digest(config: StudyConfig) -> str:
    return hashlib.sha256(repr(config).encode()).hexdigest()


def _pack(obj: Any) -> dict[str, Any]:
    """A dataclass of columns (tuples) and byte strings as JSON."""
    return {f.name: _pack_value(getattr(obj, f.name)) for f in fields(obj)}


def _pack_value(value: Any) -> Any:
    """Columns of floats as doubles (None marked aside), of booleans as bytes: C loops."""
    kinds = set(map(type, value)) if isinstance(value, tuple) and value else set()
    if kinds and kinds <= {float, NoneType}:
        if NoneType not in kinds:
            return {"doubles": _b64(array("d", value).tobytes()), "none": ""}
        present = list(map(operator.is_not, value, repeat(None)))
        return {"doubles": _b64(array("d", compress(value, present)).tobytes()),
                "none": _b64(bytes(map(operator.not_, present)))}
    if kinds and kinds <= {bool, NoneType}:
        return {"flags": _b64(bytes(map(FLAG_CODES.__getitem__, value)))}
    if isinstance(value, dict):
        return {"map": {k: _b64(v) if isinstance(v, bytes) else v for k, v in value.items()}}
    if isinstance(value, tuple) and any(isinstance(v, tuple) for v in value):
        return {"nested": _nest(value)}  # e.g. the timepoints' (column, labels, codes)
    return {"json": list(value) if isinstance(value, tuple) else value}


def _nest(value: Any) -> Any:
    """Tuples as lists, arrays (array.array) as their type code and raw bytes."""
    if isinstance(value, array):
        return {"array": value.typecode, "bytes": _b64(value.tobytes())}
    if isinstance(value, tuple):
        return [_nest(v) for v in value]
    return value


def _unnest(value: Any, swap: bool) -> Any:
    if isinstance(value, dict):
        values = array(value["array"])
        values.frombytes(base64.b64decode(value["bytes"]))
        if swap:
            values.byteswap()
        return values
    if isinstance(value, list):
        return tuple(_unnest(v, swap) for v in value)
    return value


def _unpack(cls: Any, data: dict[str, Any], swap: bool) -> Any:
    if not is_dataclass(cls):
        raise CodecError(f"{cls!r} is not a dataclass")
    hints = typing.get_type_hints(cls)
    return cls(**{name: _unpack_value(hints[name], value, swap)
                  for name, value in data.items()})


def _unpack_value(tp: Any, data: dict[str, Any], swap: bool) -> Any:
    if "doubles" in data:
        doubles = array("d")
        doubles.frombytes(base64.b64decode(data["doubles"]))
        if swap:
            doubles.byteswap()
        if not data["none"]:
            return tuple(doubles.tolist())
        values = iter(doubles.tolist())
        return tuple(None if none else next(values)
                     for none in base64.b64decode(data["none"]))
    if "flags" in data:
        return tuple(map(FLAGS.__getitem__, base64.b64decode(data["flags"])))
    if "map" in data:
        kinds = typing.get_args(tp)
        return {k: base64.b64decode(v) if kinds and kinds[1] is bytes else v
                for k, v in data["map"].items()}
    if "nested" in data:
        return _unnest(data["nested"], swap)
    value = data["json"]
    return tuple(value) if isinstance(value, list) else value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
