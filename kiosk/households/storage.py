"""Attachments at rest: encrypted (Fernet, key HOUSEHOLD_FILES_KEY from the instance
configuration) under generated names in a folder outside the web root (A2, S3).

A blob on disk is never the uploaded bytes: it is the Fernet token of the checked,
re-encoded content. Names are generated here; a client's file name is never a path.
Plain Python, no request.
"""

import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class KeyMissing(RuntimeError):
    """HOUSEHOLD_FILES_KEY is not set in the instance configuration."""


@dataclass(frozen=True)
class Vault:
    root: Path
    key: bytes

    @property
    def _fernet(self) -> Fernet:
        return Fernet(self.key)

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def unseal(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)

    def seal_text(self, text: str) -> str:
        return self.seal(text.encode()).decode("ascii")

    def unseal_text(self, token: str) -> str:
        return self.unseal(token.encode("ascii")).decode()

    def put(self, site_id: int, data: bytes) -> str:
        """Encrypt and write a new blob; returns its generated name. Never overwrites."""
        name = f"{site_id}/{uuid.uuid4().hex}.bin"
        path = self.path_of(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as out:  # "x": an existing file is never touched
            out.write(self.seal(data))
        return name

    def get(self, name: str) -> bytes:
        try:
            return self.unseal(self.path_of(name).read_bytes())
        except InvalidToken as exc:
            raise FileNotFoundError(name) from exc

    def remove(self, name: str) -> None:
        self.path_of(name).unlink(missing_ok=True)

    def path_of(self, name: str) -> Path:
        """The file of a stored blob; never outside the root."""
        root = self.root.resolve()
        path = (root / name).resolve()
        if root not in path.parents:
            raise FileNotFoundError(name)
        return path


def vault_from(config, instance_path: str) -> Vault:
    key = config.get("HOUSEHOLD_FILES_KEY")
    if not key:
        raise KeyMissing("HOUSEHOLD_FILES_KEY")
    root = Path(config.get("HOUSEHOLD_FILES_ROOT") or Path(instance_path) / "household-files")
    return Vault(root=root, key=key.encode() if isinstance(key, str) else key)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
