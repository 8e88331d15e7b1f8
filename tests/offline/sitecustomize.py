"""Loaded by every Python process that has this folder on PYTHONPATH (test
runs and the kernels they start): refuse every network connection that does
not stay on this machine, so a notebook that reaches the internet fails."""

import ipaddress
import socket

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


class NetworkBlocked(OSError):
    """Raised instead of opening a connection off this machine."""


def _is_local(address):
    if not isinstance(address, tuple):  # AF_UNIX paths
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"network access blocked during course tests: {address!r}")
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"network access blocked during course tests: {address!r}")
    return _connect_ex(self, address)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
