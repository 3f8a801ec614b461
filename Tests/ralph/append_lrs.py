"""Runs Ralph's LRS with its file-system backend switched to append mode.

Stock Ralph's fs backend writes with operation CREATE, so every POST after the first into one folder fails
with HTTP 500. That is a real fault and some tests use it as one; tests that need an LRS accepting many
POSTs use this launcher instead. Usage: python append_lrs.py HOST PORT
"""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
