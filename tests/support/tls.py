"""A certificate authority of the test run's own (trustme), and a server
certificate it signs for 127.0.0.1, written out as PEM files. Only the tests'
services are told to trust it."""

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class Certificates:
    ca_file: str
    cert_file: str
    key_file: str


def make_certificates(folder: Path) -> Certificates:
    folder.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA()
    server = authority.issue_cert("127.0.0.1", "localhost")
    ca_file, chain, key = folder / "ca.pem", folder / "server.pem", folder / "key.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server.private_key_pem.write_to_path(str(key))
    with chain.open("wb") as handle:
        for blob in server.cert_chain_pems:
            handle.write(blob.bytes())
    return Certificates(str(ca_file), str(chain), str(key))
