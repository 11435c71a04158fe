"""Application-service tests: an isolated MAS_HOME and report folder, no broker password in the environment."""

from __future__ import annotations



