"""Collections on disk: one qdrant_edge shard per collection, plus its REST config as JSON."""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

import qdrant_edge as qe

from errors import ApiError, conflict, format_error, missing_collection, unsupported
from translate import Json, memory, obj

T = TypeVar("T")

CONFIG_FILE = "config.json"
SHARD_DIR = "shard"
FORBIDDEN_NAME_CHARS = set('<>:"/\\|?*\0')

HNSW_DEFAULTS: dict[str, Json] = {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000, "max_indexing_threads": 0, "on_disk": False}
OPTIMIZER_DEFAULTS: dict[str, Json] = {
    "deleted_threshold": 0.2,
    "vacuum_min_vector_number": 1000,
    "default_segment_number": 0,
    "max_segment_size": None,
    "memmap_threshold": None,
    "indexing_threshold": 10000,
    "flush_interval_sec": 5,
    "max_optimization_threads": None,
}
WAL_DEFAULTS: dict[str, Json] = {"wal_capacity_mb": 32, "wal_segments_ahead": 0, "wal_retain_closed": 1}
# Accepted and reported back; they tune a distributed or background-optimizing Qdrant, never results.
ECHOED_KEYS = {"shard_number", "replication_factor", "write_consistency_factor", "wal_config", "optimizers_config", "metadata"}
CREATE_KEYS = ECHOED_KEYS | {"vectors", "on_disk_payload", "hnsw_config", "sharding_method"}
VECTOR_KEYS = {"size", "distance", "on_disk", "datatype", "hnsw_config", "memory"}
HNSW_KEYS = set(HNSW_DEFAULTS) | {"payload_m", "inline_storage", "memory"}


@dataclass
class Collection:
    name: str
    path: Path
    config: dict[str, Json]
    shard: qe.EdgeShard
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    operation_id: int = 0
    dirty: bool = False

    def write(self, operation: qe.UpdateOperation) -> int:
        """Applies one update; writes are serialized, reads run concurrently in the engine."""
        with self.write_lock:
            self.shard.update(operation)
            self.dirty = True
            self.operation_id += 1
            return self.operation_id

    def save_config(self) -> None:
        temporary = self.path / f"{CONFIG_FILE}.tmp"
        temporary.write_text(json.dumps(self.config, indent=2))
        os.replace(temporary, self.path / CONFIG_FILE)

    def flush(self) -> None:
        with self.write_lock:
            if self.dirty:
                self.shard.flush()
                self.dirty = False


def validate_name(name: str) -> None:
    if not name or len(name) > 255 or name in (".", "..") or name.startswith(".") or FORBIDDEN_NAME_CHARS & set(name):
        raise ApiError(422, f"Validation error in path parameters: [name: collection name `{name}` is not valid]")


DISTANCES = {"Cosine": qe.Distance.Cosine, "Euclid": qe.Distance.Euclid, "Dot": qe.Distance.Dot, "Manhattan": qe.Distance.Manhattan}


def _distance(value: Json) -> qe.Distance:
    if value not in DISTANCES:
        raise format_error(f"unknown distance `{value}`, expected one of {', '.join(DISTANCES)}")
    return DISTANCES[value]


def _hnsw(value: Json, what: str) -> dict[str, Json]:
    return {key: item for key, item in obj(value or {}, what, HNSW_KEYS).items() if item is not None}


def _hnsw_config(values: dict[str, Json]) -> qe.HnswIndexConfig:
    merged = {**HNSW_DEFAULTS, **values}
    return qe.HnswIndexConfig(
        m=merged["m"],
        ef_construct=merged["ef_construct"],
        full_scan_threshold=merged["full_scan_threshold"],
        max_indexing_threads=merged["max_indexing_threads"],
        on_disk=merged.get("on_disk"),
        payload_m=merged.get("payload_m"),
        inline_storage=merged.get("inline_storage"),
        memory=memory(merged.get("memory")),
    )


def _vector_params(value: Json, what: str) -> tuple[dict[str, Json], qe.EdgeVectorParams]:
    spec = obj(value, what, VECTOR_KEYS | {"multivector_config", "quantization_config"})
    if spec.get("multivector_config") is not None:
        raise unsupported("multi-vector collections")
    if spec.get("quantization_config") is not None:
        raise unsupported("quantization")
    size = spec.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise format_error(f"{what}.size must be a positive integer")
    datatype = spec.get("datatype")
    hnsw = _hnsw(spec.get("hnsw_config"), f"{what}.hnsw_config")
    params = qe.EdgeVectorParams(
        size=size,
        distance=_distance(spec.get("distance")),
        on_disk=spec.get("on_disk"),
        datatype=None if datatype is None else getattr(qe.VectorStorageDatatype, str(datatype).capitalize()),
        hnsw_config=_hnsw_config(hnsw) if hnsw else None,
        memory=memory(spec.get("memory")),
    )
    return {key: item for key, item in spec.items() if item is not None}, params


def _engine_config(request: dict[str, Json]) -> tuple[dict[str, Json], qe.EdgeConfig]:
    """The config reported by GET /collections/{name}, and the engine config it maps to."""
    for key in ("sparse_vectors", "quantization_config", "strict_mode_config", "init_from"):
        if request.get(key):
            raise unsupported(f"`{key}` when creating a collection")
    spec = obj(request, "collection config", CREATE_KEYS)
    if spec.get("sharding_method") not in (None, "auto"):
        raise unsupported("custom sharding")
    vectors = spec.get("vectors")
    if not isinstance(vectors, dict) or not vectors:
        raise unsupported("collections without dense `vectors`")
    engine_vectors: qe.EdgeVectorParams | dict[str, qe.EdgeVectorParams]
    if "size" in vectors or "distance" in vectors:
        vectors_out, engine_vectors = _vector_params(vectors, "vectors")
    else:
        pairs = {name: _vector_params(params, f"vectors.{name}") for name, params in vectors.items()}
        vectors_out = {name: out for name, (out, _) in pairs.items()}
        engine_vectors = {name: params for name, (_, params) in pairs.items()}
    hnsw = _hnsw(spec.get("hnsw_config"), "hnsw_config")
    on_disk_payload = spec.get("on_disk_payload")
    engine = qe.EdgeConfig(vectors=engine_vectors, on_disk_payload=on_disk_payload, hnsw_config=_hnsw_config(hnsw))
    optimizers = obj(spec.get("optimizers_config") or {}, "optimizers_config", set(OPTIMIZER_DEFAULTS))
    wal = obj(spec.get("wal_config") or {}, "wal_config", set(WAL_DEFAULTS))
    config: dict[str, Json] = {
        "params": {
            "vectors": vectors_out,
            "shard_number": spec.get("shard_number") or 1,
            "replication_factor": spec.get("replication_factor") or 1,
            "write_consistency_factor": spec.get("write_consistency_factor") or 1,
            "on_disk_payload": True if on_disk_payload is None else on_disk_payload,
        },
        "hnsw_config": {**HNSW_DEFAULTS, **hnsw},
        "optimizer_config": {**OPTIMIZER_DEFAULTS, **{k: v for k, v in optimizers.items() if v is not None}},
        "wal_config": {**WAL_DEFAULTS, **{k: v for k, v in wal.items() if v is not None}},
        "quantization_config": None,
        "index_params": {},
    }
    if spec.get("metadata") is not None:
        config["metadata"] = spec["metadata"]
    return config, engine


class Registry:
    """All collections under `<storage>/collections/`, opened at start-up."""

    def __init__(self, storage: Path) -> None:
        self.root = storage / "collections"
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.collections: dict[str, Collection] = {}
        for entry in sorted(self.root.iterdir()):
            if entry.name.startswith(".") or not (entry / CONFIG_FILE).exists():
                # half-created or half-deleted collection from an interrupted run
                shutil.rmtree(entry, ignore_errors=True)
                continue
            config = json.loads((entry / CONFIG_FILE).read_text())
            self.collections[entry.name] = Collection(entry.name, entry, config, qe.EdgeShard.load(str(entry / SHARD_DIR)))

    def get(self, name: str) -> Collection:
        collection = self.collections.get(name)
        if collection is None:
            raise missing_collection(name)
        return collection

    def names(self) -> list[str]:
        return sorted(self.collections)

    def create(self, name: str, request: Json) -> None:
        validate_name(name)
        config, engine_config = _engine_config(request if request is not None else {})
        with self.lock:
            if name in self.collections:
                raise conflict(f"Collection `{name}` already exists!")
            path = self.root / name
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir()
            try:
                collection = Collection(name, path, config, qe.EdgeShard.create(str(path / SHARD_DIR), engine_config))
                collection.save_config()
            except BaseException:
                shutil.rmtree(path, ignore_errors=True)
                raise
            self.collections[name] = collection

    def delete(self, name: str) -> bool:
        with self.lock:
            collection = self.collections.pop(name, None)
            if collection is None:
                return False
            graveyard = self.root / f".deleted-{uuid.uuid4().hex}"
            with collection.write_lock:
                collection.shard.close()
                os.replace(collection.path, graveyard)
        shutil.rmtree(graveyard, ignore_errors=True)
        return True

    def update_config(self, collection: Collection, change: Callable[[dict[str, Json]], T]) -> T:
        with collection.write_lock:
            result = change(collection.config)
            collection.save_config()
            return result

    def flush_all(self) -> None:
        for collection in list(self.collections.values()):
            collection.flush()

    def close_all(self) -> None:
        with self.lock:
            for collection in self.collections.values():
                with collection.write_lock:
                    collection.shard.flush()
                    collection.shard.close()
            self.collections.clear()

