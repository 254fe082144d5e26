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

from collection_config import engine_config
from errors import ApiError, conflict, missing_collection
from translate import Json

T = TypeVar("T")

CONFIG_FILE = "config.json"
SHARD_DIR = "shard"
FORBIDDEN_NAME_CHARS = set('<>:"/\\|?*\0')

@dataclass
class Collection:
    name: str
    path: Path
    config: dict[str, Json]
    shard: qe.EdgeShard
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    operation_id: int = 0
    dirty: bool = False
    # loaded collections too: one written by a stand-in that never optimized gets its index
    unoptimized: bool = True

    def write(self, operation: qe.UpdateOperation) -> int:
        """Applies one update; writes are serialized, reads run concurrently in the engine."""
        with self.write_lock:
            self.shard.update(operation)
            self.dirty = True
            self.unoptimized = True
            self.operation_id += 1
            return self.operation_id

    def optimize(self) -> None:
        """Runs the engine's optimizers (merging segments, building the HNSW and payload indexes
        past their thresholds), as Qdrant does in the background; writes wait meanwhile."""
        with self.write_lock:
            if self.unoptimized:
                self.shard.optimize()
                self.unoptimized = False

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
        config, engine = engine_config(request if request is not None else {})
        with self.lock:
            if name in self.collections:
                raise conflict(f"Collection `{name}` already exists!")
            path = self.root / name
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir()
            try:
                collection = Collection(name, path, config, qe.EdgeShard.create(str(path / SHARD_DIR), engine))
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

    def optimize_all(self) -> None:
        for collection in list(self.collections.values()):
            collection.optimize()

    def close_all(self) -> None:
        with self.lock:
            for collection in self.collections.values():
                with collection.write_lock:
                    collection.shard.flush()
                    collection.shard.close()
            self.collections.clear()

