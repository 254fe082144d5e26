"""Collection configuration: Qdrant's REST shape (as created, reported and patched) <-> the engine's config."""

from __future__ import annotations

import qdrant_edge as qe

from errors import format_error, unsupported, wrong_input
from translate import Json, memory, obj

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
CREATE_KEYS = ECHOED_KEYS | {"vectors", "sparse_vectors", "on_disk_payload", "hnsw_config", "sharding_method"}
VECTOR_KEYS = {"size", "distance", "on_disk", "datatype", "hnsw_config", "memory"}
HNSW_KEYS = set(HNSW_DEFAULTS) | {"payload_m", "inline_storage", "memory"}
SPARSE_INDEX_KEYS = {"full_scan_threshold", "on_disk", "memory", "datatype"}


DISTANCES = {"Cosine": qe.Distance.Cosine, "Euclid": qe.Distance.Euclid, "Dot": qe.Distance.Dot, "Manhattan": qe.Distance.Manhattan}
DATATYPES = {"float32": qe.VectorStorageDatatype.Float32, "float16": qe.VectorStorageDatatype.Float16, "uint8": qe.VectorStorageDatatype.Uint8}
MODIFIERS = {"none": getattr(qe.Modifier, "None"), "idf": qe.Modifier.Idf}  # `None` is a keyword: no attribute syntax


def _distance(value: Json) -> qe.Distance:
    if value not in DISTANCES:
        raise format_error(f"unknown distance `{value}`, expected one of {', '.join(DISTANCES)}")
    return DISTANCES[value]


def _datatype(value: Json, what: str) -> qe.VectorStorageDatatype | None:
    if value is None:
        return None
    if value == "turbo4":
        raise unsupported(f"`{what}` turbo4 (the engine has no 4-bit storage)")
    if value not in DATATYPES:
        raise format_error(f"unknown {what} `{value}`, expected one of {', '.join(DATATYPES)}, turbo4")
    return DATATYPES[value]


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
    hnsw = _hnsw(spec.get("hnsw_config"), f"{what}.hnsw_config")
    params = qe.EdgeVectorParams(
        size=size,
        distance=_distance(spec.get("distance")),
        on_disk=spec.get("on_disk"),
        datatype=_datatype(spec.get("datatype"), f"{what}.datatype"),
        hnsw_config=_hnsw_config(hnsw) if hnsw else None,
        memory=memory(spec.get("memory")),
    )
    return {key: item for key, item in spec.items() if item is not None}, params


def _sparse_vector_params(value: Json, what: str) -> tuple[dict[str, Json], qe.EdgeSparseVectorParams]:
    """A SparseVectorParams as reported back (its non-null values) and as engine params."""
    spec = obj(value, what, {"index", "modifier"})
    modifier = spec.get("modifier")
    if modifier is not None and modifier not in MODIFIERS:
        raise format_error(f"unknown {what}.modifier `{modifier}`, expected one of {', '.join(MODIFIERS)}")
    index = {key: item for key, item in obj(spec.get("index") or {}, f"{what}.index", SPARSE_INDEX_KEYS).items() if item is not None}
    threshold = index.get("full_scan_threshold")
    if threshold is not None and (not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 0):
        raise format_error(f"{what}.index.full_scan_threshold must be a non-negative integer")
    params = qe.EdgeSparseVectorParams(
        full_scan_threshold=threshold,
        on_disk=index.get("on_disk"),
        modifier=None if modifier is None else MODIFIERS[modifier],
        datatype=_datatype(index.get("datatype"), f"{what}.index.datatype"),
        memory=memory(index.get("memory")),
    )
    out: dict[str, Json] = {}
    if spec.get("index") is not None:
        out["index"] = index
    if modifier is not None:
        out["modifier"] = modifier
    return out, params


def _sparse_vectors(value: Json, dense_names: set[str]) -> tuple[dict[str, Json], dict[str, qe.EdgeSparseVectorParams]]:
    """`sparse_vectors` as reported back and as engine params. Their names must differ from the dense
    ones (the unnamed dense vector is ""): given a shared one, the engine fails with an internal error."""
    if not isinstance(value, dict):
        raise format_error("sparse_vectors must be a JSON object")
    for name in value:
        if name in dense_names | {""}:
            raise wrong_input(f'sparse vector name `{name}` is a dense vector\'s ("" is the unnamed one\'s): sparse and dense vectors need different names')
    pairs = {name: _sparse_vector_params(params, f"sparse_vectors.{name}") for name, params in value.items()}
    return {name: out for name, (out, _) in pairs.items()}, {name: params for name, (_, params) in pairs.items()}


def engine_config(request: dict[str, Json]) -> tuple[dict[str, Json], qe.EdgeConfig]:
    """The config reported by GET /collections/{name}, and the engine config it maps to."""
    for key in ("quantization_config", "strict_mode_config", "init_from"):
        if request.get(key):
            raise unsupported(f"`{key}` when creating a collection")
    spec = obj(request, "collection config", CREATE_KEYS)
    if spec.get("sharding_method") not in (None, "auto"):
        raise unsupported("custom sharding")
    vectors, sparse = spec.get("vectors") or {}, spec.get("sparse_vectors")
    if not isinstance(vectors, dict):
        raise format_error("vectors must be a JSON object")
    if not vectors and not sparse:
        raise unsupported("collections without `vectors` or `sparse_vectors`")
    engine_vectors: qe.EdgeVectorParams | dict[str, qe.EdgeVectorParams]
    if "size" in vectors or "distance" in vectors:
        vectors_out, engine_vectors = _vector_params(vectors, "vectors")
        dense_names = {""}
    else:
        pairs = {name: _vector_params(params, f"vectors.{name}") for name, params in vectors.items()}
        vectors_out = {name: out for name, (out, _) in pairs.items()}
        engine_vectors = {name: params for name, (_, params) in pairs.items()}
        dense_names = set(vectors)
    sparse_out, engine_sparse = (None, None) if sparse is None else _sparse_vectors(sparse, dense_names)
    hnsw = _hnsw(spec.get("hnsw_config"), "hnsw_config")
    on_disk_payload = spec.get("on_disk_payload")
    engine = qe.EdgeConfig(vectors=engine_vectors, sparse_vectors=engine_sparse, on_disk_payload=on_disk_payload, hnsw_config=_hnsw_config(hnsw))
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
    if sparse_out is not None:
        config["params"]["sparse_vectors"] = sparse_out
    if spec.get("metadata") is not None:
        config["metadata"] = spec["metadata"]
    return config, engine


def _fixed_by_engine(params: dict[str, Json]) -> tuple[Json, Json]:
    """What a sparse vector's reported params set in the engine; an unset modifier is `none`."""
    return params.get("modifier") or "none", params.get("index", {})


def update_sparse_vectors(config: dict[str, Json], value: Json) -> None:
    """Merges a PATCH's `sparse_vectors` into `config` as Qdrant does (null keeps a value). The engine
    fixes modifier and index when the collection is created, so only restating them is served."""
    if not isinstance(value, dict):
        raise format_error("sparse_vectors must be a JSON object")
    current: dict[str, Json] = config["params"].get("sparse_vectors") or {}
    merged: dict[str, Json] = {}
    for name, params in value.items():
        if name not in current:
            raise wrong_input(f"Not existing vector name error: {name}")
        requested, _ = _sparse_vector_params(params, f"sparse_vectors.{name}")
        before = current[name]
        after = {**before, **requested}
        if "index" in requested:
            after["index"] = {**before.get("index", {}), **requested["index"]}
        if _fixed_by_engine(after) != _fixed_by_engine(before):
            raise unsupported(f"changing sparse vector `{name}` of an existing collection (the engine fixes its modifier and index at creation)")
        merged[name] = after
    current.update(merged)
